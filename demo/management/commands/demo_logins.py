import unicodedata

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from demo import seed

HEADER = ("角色", "单位", "登录邮箱", "手机号码", "密码")


def _width(text: str) -> int:
    """Terminal columns: CJK characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def format_table(rows) -> list[str]:
    widths = [max(_width(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(_pad(cell, w) for cell, w in zip(row, widths, strict=True)) for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return [line.rstrip() for line in lines]


# A server bound to every interface is opened, on this machine, at the loopback address.
_WILDCARDS = {"": "127.0.0.1", "0.0.0.0": "127.0.0.1", "[::]": "[::1]"}


def address_url(address: str) -> str:
    """The URL to open for a server bound to HOST:PORT (runserver's and gunicorn's form)."""
    host, _, port = address.rpartition(":")
    if not port.isdigit():
        raise CommandError(f"--address 应为 主机:端口，例如 127.0.0.1:8000（收到 {address!r}）。")
    return f"http://{_WILDCARDS.get(host, host)}:{port}"


class Command(BaseCommand):
    help = "列出各角色的演示登录账号。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--address",
            help="门户实际监听的 主机:端口（make run 传入 $(HOST):$(PORT)）；"
            "缺省时显示 PORTAL_BASE_URL。",
        )

    def handle(self, *args, address, **options):
        url = settings.PORTAL_BASE_URL if address is None else address_url(address)
        rows = seed.login_rows()
        if not rows:
            self.stdout.write("尚未导入演示数据：请先运行 python manage.py seed_demo")
            return
        self.stdout.write(f"{settings.PORTAL_NAME} 演示账号（邮箱或手机号均可登录）：")
        for line in format_table([HEADER, *rows]):
            self.stdout.write("  " + line)
        self.stdout.write(f"  其他演示账号（密码相同）：{'、'.join(seed.other_logins())}")
        self.stdout.write(f"打开 {url} 登录。")
