from rest_framework.views import exception_handler


def api_exception_handler(exc, context):
    """DRF's errors in the API's one shape: ``{"errors": {"<field or token>": ["message"]}}``."""
    response = exception_handler(exc, context)
    if response is None:
        return None
    detail = response.data.get("detail") if isinstance(response.data, dict) else None
    if isinstance(response.data, dict) and detail is None:
        response.data = {"errors": {k: [str(m) for m in v] for k, v in response.data.items()}}
    elif detail is not None:
        field = "token" if response.status_code in (401, 403) else "body"
        response.data = {"errors": {field: [str(detail)]}}
    return response
