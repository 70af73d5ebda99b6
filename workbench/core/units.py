"""Numbers for people: byte sizes and counts, written the same way in the window and the CLI."""

from __future__ import annotations

from workbench.core.i18n import decimal, translate


def human_size(n_bytes: float) -> str:
    """A byte count in decimal units: "512 B", "98.4 MB", "4.1 GB" (the number written as the
    current language writes numbers; the units are the same in every language).

    Decimal (1000) rather than binary (1024) units, because the Hub, file managers on macOS and
    disk vendors all count that way, so the figures match what users see elsewhere.
    """
    if n_bytes < 1000:
        return f"{int(n_bytes)} B"
    value = float(n_bytes)
    for unit in ("KB", "MB", "GB", "TB"):
        value /= 1000
        # Rounded first, so 999,960 bytes reads "1.0 MB" rather than "1000.0 KB".
        if round(value, 1) < 1000 or unit == "TB":
            return f"{decimal(value, 1)} {unit}"
    raise AssertionError("unreachable")


def human_count(n: int) -> str:
    """A parameter count the way model names say it: "820K", "135M", "7.2B"."""
    if n < 1000:
        return str(n)
    value = float(n)
    for unit in ("K", "M", "B", "T"):
        value /= 1000
        text = f"{value:.1f}".removesuffix(".0") if value < 9.95 else f"{value:.0f}"
        if float(text) < 1000 or unit == "T":
            return text + unit
    raise AssertionError("unreachable")


def human_duration(seconds: float) -> str:
    """A duration the way a clock-watcher says it: "45 s", "3 min 05 s", "2 h 07 min"; in
    Chinese "45 秒", "3 分 05 秒", "2 小时 07 分". Rounded to the second; negative reads as 0."""
    total = max(0, round(seconds))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return translate("core.units", "{hours} h {minutes:02d} min").format(
            hours=hours, minutes=minutes
        )
    if minutes:
        return translate("core.units", "{minutes} min {seconds:02d} s").format(
            minutes=minutes, seconds=secs
        )
    return translate("core.units", "{seconds} s").format(seconds=secs)
