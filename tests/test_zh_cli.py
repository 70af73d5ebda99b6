"""The command line in Simplified Chinese, run as a user in a Chinese locale runs it: a process
with ``LANG=zh_CN.UTF-8`` (and no ``WORKBENCH_LANG``), its help, usage errors and real errors.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys

import pytest
from openai_fake import FakeOpenAI

from workbench.cli import COMMANDS, build_parser
from workbench.cli.common import display_width, print_table
from workbench.cli.language import requested_language, wrap
from workbench.core.local.formats import FORMATS

CHINESE = re.compile(r"[\u4e00-\u9fff]")

# What stays as it is in a Chinese line: names of the program, of formats and services, units.
PROPER_NAMES = [
    "Workbench",
    "GGUF",
    "OpenAI",
    "Hugging Face",
    "Hub",
    "Jinja",
    "JSON",
    "Token",
    "Flash Attention",
    "Top-P",
    "Top-K",
    "Min-P",
    "llama.cpp",
    "English",
    "stdin",
    "stdout",
    "stderr",
    "Ctrl+C",
    *FORMATS,
]


COMMAND_NAMES = [
    "chat",
    "info",
    "search",
    "files",
    "download",
    "models",
    "providers",
    "compare",
    "add",
    "key",
    "remove",
]


def english_left(text: str) -> list[str]:
    """Runs of three or more English words in ``text``, once option names, metavars, command
    lines, quoted values, URLs and proper names are taken out: sentences nobody translated."""
    text = re.sub(r"https?://\S+", " ", text)
    text = re.sub(rf"workbench(?: (?:{'|'.join(COMMAND_NAMES)})\b)*", " ", text)
    text = re.sub(r"“[^”]*”|'[^']*'|\{[^}]*\}|\[[^\]]*\]", " ", text)  # commands, choices, usage
    text = re.sub(r"(?<!\w)--?[A-Za-z][\w-]*(=\S+)?", " ", text)  # options
    text = re.sub(r"\S+[/:]\S+", " ", text)  # repo ids, local:PATH, paths
    for name in sorted(PROPER_NAMES, key=len, reverse=True):
        text = text.replace(name, " ")
    text = re.sub(r"\b[A-Z][A-Z0-9_|]*\b", " ", text)  # metavars: PATH, N|auto
    return re.findall(r"\b[A-Za-z]{2,}(?:[ ,.;'-]+[A-Za-z]{2,}){2,}", text)


def zh_env(**extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("WORKBENCH_LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES")
    }
    env.update(LANG="zh_CN.UTF-8", PYTHONIOENCODING="utf-8", COLUMNS="80", **extra)
    return env


def run_zh(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "workbench", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        env=env or zh_env(),
    )


def one_error_line(result: subprocess.CompletedProcess, code: int) -> str:
    assert result.returncode == code, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("错误："), lines[0]
    assert "Traceback" not in result.stderr
    return lines[0]


def assert_chinese(text: str) -> None:
    assert CHINESE.search(text), text
    assert english_left(text) == [], text


def _commands() -> list[tuple[str, ...]]:
    """Every command and action of the parser, as argv prefixes: ("chat",), ("providers", "add")."""

    def subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
        found = {}
        for action in parser._actions:  # argparse keeps no public list of its commands
            if isinstance(action, argparse._SubParsersAction):
                found.update(action.choices)
        return found

    commands = []
    for name, sub in subcommands(build_parser()).items():
        commands.append((name,))
        commands.extend((name, action) for action in subcommands(sub))
    return commands


def test_the_detector_finds_english_and_allows_names():
    assert english_left("error: the prompt is empty")
    assert english_left("提示：left out the oldest message")
    assert not english_left("用法：workbench chat [-h] --model PATH [--prompt TEXT]")
    assert not english_left("错误：参数 --json：不接受参数值 '3'（详见“workbench info --help”）")
    assert not english_left("服务商的接口地址，例如 http://localhost:8000/v1")
    assert not english_left("或以下之一：gemma, llama3, chatml, phi3, mistral, deepseek")


def test_main_help_is_chinese():
    result = run_zh("--help")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("用法：workbench")
    assert "选项：" in result.stdout and "显示此帮助信息并退出" in result.stdout
    assert_chinese(result.stdout)


def test_every_command_help_is_chinese():
    commands = _commands()
    assert ("chat",) in commands and ("providers", "key") in commands
    # hub has four commands, exchange two (export and import)
    assert len({c[0] for c in commands}) == len(COMMANDS) + 3 + 1
    for command in commands:
        result = run_zh(*command, "--help")
        assert result.returncode == 0, (command, result.stderr)
        assert result.stdout.startswith("用法：workbench " + " ".join(command)), command
        assert_chinese(result.stdout)


def test_help_lines_fit_the_terminal():
    for command in (("chat",), ("compare",), ("providers",)):
        result = run_zh(*command, "--help")
        widths = [display_width(line) for line in result.stdout.splitlines()]
        assert max(widths) <= 80, result.stdout


@pytest.mark.parametrize(
    "args,needle",
    [
        (("frobnicate",), "无效的选择"),
        (("info",), "缺少必需的参数：PATH"),
        (("chat", "--model", "m.gguf", "--threads", "0"), "必须是正整数"),
        (("chat", "--model", "m.gguf", "--max-tokens", "abc"), "无效的 int 值"),
        (("chat", "--model", "m", "--provider", "openai", "--ctx", "512"), "只适用于本地模型"),
    ],
)
def test_usage_errors_are_chinese(args, needle):
    line = one_error_line(run_zh(*args), 2)
    assert needle in line
    assert_chinese(line)


def test_a_truncated_gguf_is_a_chinese_error(tmp_path):
    path = tmp_path / "model.gguf"
    path.write_bytes(b"GGUF\x03\x00\x00\x00\x05\x00")
    line = one_error_line(run_zh("info", str(path)), 1)
    assert "model.gguf" in line
    assert_chinese(line)


def test_a_wrong_key_is_a_chinese_error():
    with FakeOpenAI(key="sk-the-right-key-000000") as fake:
        env = zh_env(OPENAI_BASE_URL=fake.base_url, OPENAI_API_KEY="sk-a-wrong-key-111111")
        result = run_zh(
            "chat", "--provider", "openai", "--model", "fake-chat", "--prompt", "hi", env=env
        )
    line = one_error_line(result, 1)
    assert "OpenAI" in line and "wrong-key" not in line
    assert_chinese(line)


def test_a_tampered_download_is_a_chinese_error(tmp_path):
    from hubserver import FakeHub

    data = os.urandom(300_000)
    with FakeHub() as hub:
        hub.add_repo("owner/model-GGUF", {"model-Q4_K_M.gguf": data})
        hub.tamper("owner/model-GGUF/model-Q4_K_M.gguf", data[:-1] + bytes([data[-1] ^ 1]))
        result = run_zh(
            "download",
            "owner/model-GGUF",
            "model-Q4_K_M.gguf",
            "--endpoint",
            hub.url,
            "--to",
            str(tmp_path),
        )
    lines = [line for line in result.stderr.strip().splitlines() if line.startswith("错误：")]
    assert result.returncode == 1, result.stderr
    assert lines and "校验值不一致" in lines[-1], result.stderr
    assert "Traceback" not in result.stderr
    assert_chinese(lines[-1])
    assert not list(tmp_path.glob("*.gguf"))


def test_selftest_report_keeps_its_keys_and_speaks_chinese(tmp_path):
    bad = tmp_path / "bad.gguf"
    bad.write_text("<html>not a model</html>")
    env = {k: v for k, v in zh_env().items() if k != "QT_QPA_PLATFORM"}
    result = run_zh("--selftest", "--model", str(bad), env=env)
    assert result.returncode == 1, result.stderr
    report = json.loads(result.stdout)
    assert report["ok"] is False and {"version", "platform", "checks"} <= set(report)
    assert report["summary"].startswith("未通过的检查：generate")
    generate = next(c for c in report["checks"] if c["name"] == "generate")
    assert generate["ok"] is False
    assert_chinese(generate["error"])


def test_an_unknown_language_is_a_usage_error_naming_the_languages():
    line = one_error_line(run_zh("--lang", "xx", "info", "x.gguf"), 2)
    assert "'xx'" in line and "en（English）" in line and "zh_CN（简体中文）" in line
    result = run_zh("--lang=tlh", "--help")
    assert result.returncode == 2 and result.stdout == ""


def test_lang_en_overrides_the_locale():
    result = run_zh("--lang", "en", "--help")
    assert result.returncode == 0
    assert result.stdout.startswith("usage: workbench")
    # Only the name of the language, in --lang's help (perhaps wrapped).
    assert not CHINESE.search(re.sub(r"\s+", "", result.stdout).replace("简体中文", ""))
    result = run_zh("info", "--lang", "en")  # after the command too
    assert result.stderr.startswith("error: the following arguments are required: PATH")


@pytest.mark.parametrize("tag", ["zh", "zh-Hans", "zh_SG"])
def test_lang_takes_chinese_tags(tag):
    env = {**zh_env(), "LANG": "en_US.UTF-8"}
    result = run_zh("--lang", tag, "info", "--help", env=env)
    assert result.stdout.startswith("用法：workbench info")


def test_lang_is_read_from_the_arguments_before_parsing():
    assert requested_language(["chat", "--lang", "zh", "--prompt", "x"]) == "zh"
    assert requested_language(["--lang=en"]) == "en"
    assert requested_language(["chat", "--", "--lang", "zh"]) is None
    assert requested_language(["--lang"]) is None


def test_tables_line_up_in_terminal_columns(capsys):
    print_table([("名称", "大小", "状态"), ("qwen", "1.0 GB", "成功"), ("模型", "98.4 MB", "-")])
    lines = capsys.readouterr().out.splitlines()
    # The third column starts at the same terminal column on every line.
    starts = {
        display_width(line[: line.index(cell)]) for line, cell in zip(lines, "状成-", strict=True)
    }
    assert len(starts) == 1, lines


def test_wrapping_breaks_chinese_between_characters_not_inside_words():
    text = "同时向 2 到 4 个模型提出同一个问题，并对比回复。目标写作 local:PATH（GGUF 文件）。"
    lines = wrap(text, 20)
    assert all(display_width(line) <= 20 for line in lines)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    assert not any(line.startswith(("，", "。", "）")) for line in lines)
    assert any("local:PATH" in line for line in lines)


def test_argparse_sentences_come_from_the_catalogue(zh):
    parser = build_parser()
    assert "显示此帮助信息并退出" in parser.format_help()
    assert parser.format_usage().startswith("用法：")
