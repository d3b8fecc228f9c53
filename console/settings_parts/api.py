"""The event API: Django REST framework, its OpenAPI schema, rate limit and body size."""

from console.settings_parts.environment import env

# The event API (docs/api.md).
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["console.ingest.auth.BearerTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["console.ingest.auth.HasScope"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["console.ingest.payloads.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "console.ingest.errors.api_exception_handler",
    "UNAUTHENTICATED_USER": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Klantbeeld event API",
    "DESCRIPTION": (
        "How source systems feed the customer picture, and read it back. See docs/api.md.\n\n"
        "Scopes of a token: `events:write` (every event type) or `events:<type>`, `customers:read`, "
        "`customers:create`, `conversations:read`, and `customers:restricted`: restricted customers "
        "(employees, protected persons, VIPs) exist only for a token that has it besides the reading "
        "scope. Without it a restricted customer answers `404` like an unknown one, and is left out of "
        "`GET /api/v1/customers` and `GET /api/v1/conversations`; events about it are still taken."
    ),
    "VERSION": "1.0.0",
    # One name per choice set that several fields share.
    "ENUM_NAME_OVERRIDES": {
        "FlagLevelEnum": "console.flags.models.Flag.Level",
        "CreditDecisionEnum": ["allowed", "needs_approval", "refused"],
        "DecisionAtRequestEnum": ["needs_approval", "refused"],
        "ConversationStatusEnum": "console.conversations.models.Conversation.Status",
    },
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
}
# Events per second per token before 429 (0: no limit).
API_RATE_LIMIT_PER_SECOND = env.int("API_RATE_LIMIT_PER_SECOND", default=2000)
# A batch carries up to 500 events; its body may be this large.
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("API_BATCH_MAX_BYTES", default=16 * 1024 * 1024)
