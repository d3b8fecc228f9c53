"""Who gets in and what the browser may do: authentication, login throttling, trusted proxies,
the content security policy, sessions and cookies."""

from console.settings_parts.environment import env

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "conversations:home"
LOGOUT_REDIRECT_URL = "login"

# Login throttling (console/accounts/lockout.py): five failures lock the username from that
# address for 15 minutes, and ten from any addresses together lock it everywhere, so a guesser
# who rotates addresses gets no further.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_USERNAME_FAILURE_LIMIT = max(env.int("AXES_USERNAME_FAILURE_LIMIT", default=10), AXES_FAILURE_LIMIT)
AXES_COOLOFF_TIME = 0.25
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "username"]
AXES_HANDLER = "console.accounts.lockout.TieredLockoutHandler"
AXES_CLIENT_IP_CALLABLE = "console.accounts.lockout.client_ip"
# The proxies (addresses or networks, comma-separated) whose X-Forwarded-For and
# X-Forwarded-Proto are believed; empty: none, the connecting address is the client's.
# console/asgi.py applies it, so the ASGI server must not read those headers itself (uvicorn:
# --no-proxy-headers, as `make run` and the README's commands do).
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=[])
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"

# Content security policy: scripts and styles only from our own static files.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
    }
}

SESSION_COOKIE_HTTPONLY = True
# A session ends after this many hours without a request from its browser (a request starts the
# count again, saving the session at most every SESSION_REFRESH_SECONDS: accounts/middleware.py);
# its open consoles close then, and their pages say so (docs/live.md).
SESSION_IDLE_HOURS = env.float("SESSION_IDLE_HOURS", default=8)
SESSION_COOKIE_AGE = int(SESSION_IDLE_HOURS * 3600)
SESSION_REFRESH_SECONDS = env.int("SESSION_REFRESH_SECONDS", default=300)
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, not the cookie
X_FRAME_OPTIONS = "DENY"
