"""The OpenAPI schema tells the truth about errors: every operation documents the JSON
error body (config.api.exception_handler) for the answers it can give besides success."""

from django.utils.translation import gettext_lazy as _

ERROR = {
    "type": "object",
    "properties": {
        "detail": {"type": "string"},
        "errors": {
            "type": "object",
            "additionalProperties": True,
            "description": "Per field, a list of messages (only for 400).",
        },
    },
    "required": ["detail"],
}
ANSWERS = {
    "400": _("提交的数据有误，或当前状态不允许此操作。"),
    "401": _("未提供或提供了无效的令牌。"),
    "403": _("当前用户的角色无权执行此操作。"),
    "404": _("对象不存在，或不在当前用户的可见范围内。"),
    "405": _("该地址不接受此请求方法。"),
}


def document_errors(result, generator, request, public):
    """drf-spectacular postprocessing hook: the shared Error component, and a 400, 401,
    403, 404 and 405 answer on every operation that does not already describe one."""
    components = result.setdefault("components", {}).setdefault("schemas", {})
    components["Error"] = ERROR
    reference = {"$ref": "#/components/schemas/Error"}
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            responses = operation.setdefault("responses", {})
            for status, description in ANSWERS.items():
                responses.setdefault(
                    status,
                    {
                        "description": str(description),
                        "content": {"application/json": {"schema": reference}},
                    },
                )
    return result
