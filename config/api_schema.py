"""The OpenAPI schema tells the truth about errors: every operation documents the JSON
error body (config.api.exception_handler) for the answers it can give besides success."""

import re

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
# Writes only: another piece of work holds the object (config.errors.ConflictError).
WRITE_ANSWERS = {"409": _("另一项处理正在进行（如测算正在运行），请稍后再试。")}


def document_errors(result, generator, request, public):
    """drf-spectacular postprocessing hook: the shared Error component, and a 400, 401,
    403, 404 and 405 answer on every operation that does not already describe one (and
    409 on every write)."""
    components = result.setdefault("components", {}).setdefault("schemas", {})
    components["Error"] = ERROR
    reference = {"$ref": "#/components/schemas/Error"}
    for operations in result.get("paths", {}).values():
        for method, operation in operations.items():
            responses = operation.setdefault("responses", {})
            answers = ANSWERS if method == "get" else {**ANSWERS, **WRITE_ANSWERS}
            for status, description in answers.items():
                responses.setdefault(
                    status,
                    {
                        "description": str(description),
                        "content": {"application/json": {"schema": reference}},
                    },
                )
    return result


_DECIMAL = re.compile(r"^\^(-\?)?\\d\{0,(\d+)\}\(\?:\\\.\\d\{0,(\d+)\}\)\?\$$")


def strict_decimal_patterns(result, generator, request, public):
    """drf-spectacular postprocessing hook: a decimal string has at least one digit.
    drf-spectacular's pattern (`^-?\\d{0,12}(?:\\.\\d{0,2})?$`) also matches "", "-" and
    ".", which DRF's DecimalField refuses, so the schema promised more than the API takes."""

    def visit(node):
        if isinstance(node, dict):
            match = node.get("format") == "decimal" and _DECIMAL.match(node.get("pattern", ""))
            if match:
                sign, whole, places = match.group(1) or "", match.group(2), match.group(3)
                node["pattern"] = (
                    rf"^{sign}(?:\d{{1,{whole}}}(?:\.\d{{0,{places}}})?|\.\d{{1,{places}}})$"
                )
            for value in node.values():
                visit(value)
        elif isinstance(node, list):
            for value in node:
                visit(value)

    visit(result.get("components", {}))
    visit(result.get("paths", {}))
    return result
