"""Prompt formats for files without a chat template: which one a file gets, what it renders,
pasted templates, and the real test model without its template answering."""

from __future__ import annotations

import pytest
from ggufgen import write_tiny_gguf
from llama_cpp.llama_chat_format import Jinja2ChatFormatter

from workbench.core.backend import Error, Stats, TextDelta
from workbench.core.gguf_file import check_gguf, inspect_gguf
from workbench.core.local import formats
from workbench.core.local.host import LocalBackend, ModelLoadError, prompt_format
from workbench.core.options import LoadOptions, OptionError, SamplingParams

FILLER = [f"tok{i}" for i in range(24)]

# (architecture, general.name, file name, special tokens) -> (format, evidence)
DETECTION = [
    ("gemma3", "Gemma 3 270m", "gemma-3-270m-it-Q4_K_M.gguf", ["<start_of_turn>", "<end_of_turn>"],
     "gemma", "vocabulary"),
    ("llama", "Meta Llama 3.1 8B Instruct", "m.gguf", ["<|start_header_id|>", "<|eot_id|>"],
     "llama3", "vocabulary"),
    ("qwen2", "Qwen2.5 0.5B Instruct", "q.gguf", ["<|im_start|>", "<|im_end|>"],
     "chatml", "vocabulary"),
    ("llama", "SmolLM2 135M Instruct", "s.gguf", ["<|im_start|>", "<|im_end|>"],
     "chatml", "vocabulary"),
    ("phi3", "Phi 3.5 Mini Instruct", "p.gguf", ["<|user|>", "<|assistant|>", "<|end|>"],
     "phi3", "vocabulary"),
    ("phi3", "Phi 4", "p4.gguf", ["<|im_start|>", "<|im_sep|>", "<|im_end|>"],
     "phi4", "vocabulary"),
    ("llama", "Mistral 7B Instruct v0.3", "m.gguf", ["[INST]", "[/INST]"],
     "mistral", "vocabulary"),
    ("qwen2", "DeepSeek R1 Distill Qwen 1.5B", "d.gguf",
     ["<|im_start|>", "<｜User｜>", "<｜Assistant｜>"], "deepseek", "vocabulary"),
    ("gemma2", "tiny", "t.gguf", [], "gemma", "architecture"),
    ("qwen3", "tiny", "t.gguf", [], "chatml", "architecture"),
    ("deepseek2", "tiny", "t.gguf", [], "deepseek", "architecture"),
    ("llama", "Llama 2 7B Chat", "l.gguf", [], "llama2", "name"),
    ("llama", "Meta-Llama-3-8B-Instruct", "l.gguf", [], "llama3", "name"),
    ("llama", None, "mistral-7b-instruct-v0.1.Q4_K_M.gguf", [], "mistral", "name"),
    ("llama", "tiny", "tiny.gguf", [], "alpaca", "fallback"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("arch", "name", "file_name", "special", "expected", "evidence"), DETECTION
)
def test_a_format_is_chosen_from_the_header(
    tmp_path, arch, name, file_name, special, expected, evidence
):
    path = write_tiny_gguf(
        tmp_path / file_name, arch=arch, name=name, chat_template=None, tokens=FILLER + special
    )
    header = check_gguf(path)
    choice = prompt_format(header.metadata, path.name, LoadOptions())
    assert (choice.format, choice.evidence) == (expected, evidence)
    assert choice.template == formats.FORMATS[expected].template
    assert choice.stops == formats.FORMATS[expected].stops
    info = inspect_gguf(path)
    assert set(info.chat_markers) == set(special) & formats.MARKER_TOKENS


def test_tokens_are_found_in_a_vocabulary_too_long_to_keep(tmp_path):
    """Real vocabularies are walked, not kept: the markers are noted on the way."""
    tokens = [f"tok{i}" for i in range(300)]
    tokens[250] = "<start_of_turn>"
    path = write_tiny_gguf(tmp_path / "m.gguf", arch="llama", chat_template=None, tokens=tokens)
    assert inspect_gguf(path).chat_markers == ("<start_of_turn>",)
    choice = prompt_format(check_gguf(path).metadata, path.name, LoadOptions())
    assert (choice.format, choice.evidence) == ("gemma", "vocabulary")


def test_the_files_template_wins_unless_another_format_is_chosen(tmp_path):
    path = write_tiny_gguf(
        tmp_path / "m.gguf", chat_template="{{ messages }}", tokens=[*FILLER, "<start_of_turn>"]
    )
    meta = check_gguf(path).metadata
    auto = prompt_format(meta, path.name, LoadOptions())
    assert (auto.format, auto.evidence, auto.template) == ("file", "file", "")
    assert auto.describe() == "the file's own template"
    chosen = prompt_format(meta, path.name, LoadOptions(chat_format="llama3"))
    assert (chosen.format, chosen.evidence) == ("llama3", "chosen")
    custom = prompt_format(
        meta, path.name, LoadOptions(chat_format="custom", chat_template="{{ 'x' }}")
    )
    assert (custom.format, custom.template) == ("custom", "{{ 'x' }}")


CONVERSATION = [
    {"role": "system", "content": "Be brief."},
    {"role": "user", "content": "Hi"},
    {"role": "assistant", "content": "Hello!"},
    {"role": "user", "content": "Name a color."},
]

RENDERED = {
    "gemma": "<BOS><start_of_turn>user\nBe brief.\n\nHi<end_of_turn>\n<start_of_turn>model\n"
    "Hello!<end_of_turn>\n<start_of_turn>user\nName a color.<end_of_turn>\n"
    "<start_of_turn>model\n",
    "llama3": "<BOS><|start_header_id|>system<|end_header_id|>\n\nBe brief.<|eot_id|>"
    "<|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|>"
    "<|start_header_id|>assistant<|end_header_id|>\n\nHello!<|eot_id|>"
    "<|start_header_id|>user<|end_header_id|>\n\nName a color.<|eot_id|>"
    "<|start_header_id|>assistant<|end_header_id|>\n\n",
    "chatml": "<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n"
    "<|im_start|>assistant\nHello!<|im_end|>\n<|im_start|>user\nName a color.<|im_end|>\n"
    "<|im_start|>assistant\n",
    "phi3": "<|system|>\nBe brief.<|end|>\n<|user|>\nHi<|end|>\n<|assistant|>\nHello!<|end|>\n"
    "<|user|>\nName a color.<|end|>\n<|assistant|>\n",
    "phi4": "<|im_start|>system<|im_sep|>Be brief.<|im_end|><|im_start|>user<|im_sep|>Hi"
    "<|im_end|><|im_start|>assistant<|im_sep|>Hello!<|im_end|><|im_start|>user<|im_sep|>"
    "Name a color.<|im_end|><|im_start|>assistant<|im_sep|>",
    "mistral": "<BOS>[INST] Be brief.\n\nHi [/INST] Hello!<EOS>[INST] Name a color. [/INST]",
    "deepseek": "<BOS>Be brief.<｜User｜>Hi<｜Assistant｜>Hello!<｜end▁of▁sentence｜>"
    "<｜User｜>Name a color.<｜Assistant｜>",
    "llama2": "<BOS>[INST] <<SYS>>\nBe brief.\n<</SYS>>\n\nHi [/INST] Hello! <EOS>"
    "<BOS>[INST] Name a color. [/INST]",
    "alpaca": "<BOS>Be brief.\n\n### Instruction:\nHi\n\n### Response:\nHello!\n\n"
    "### Instruction:\nName a color.\n\n### Response:\n",
}


def test_every_built_in_format_is_rendered_and_tested():
    assert set(RENDERED) == set(formats.FORMATS)


@pytest.mark.parametrize("name", list(RENDERED))
def test_rendering_a_three_turn_conversation_with_a_system_prompt(name):
    fmt = formats.FORMATS[name]
    # The formatter the model process renders with.
    result = Jinja2ChatFormatter(fmt.template, eos_token="<EOS>", bos_token="<BOS>")(
        messages=CONVERSATION
    )
    assert result.prompt == RENDERED[name]
    formats.check_template(fmt.template)  # what a user pastes is held to the same test


@pytest.mark.parametrize(
    ("template", "needle"),
    [
        ("", "Paste a chat template"),
        ("{% for m in messages %}\n{{ m.content }\n{% endfor %}", "error on line 2"),
        ("{% for m in messages %}{{ m.content }}", "error on line 1"),
        ("{{ raise_exception('Roles must alternate') }}", "Roles must alternate"),
        ("{{ messages[0].content.nothing() }}", "failed on a sample conversation"),
        ("{# nothing #}", "empty prompt"),
    ],
)
def test_a_broken_pasted_template_is_one_sentence(template, needle):
    with pytest.raises(formats.TemplateError) as caught:
        formats.check_template(template)
    message = str(caught.value)
    assert needle in message
    assert "\n" not in message and "Traceback" not in message
    with pytest.raises(OptionError, match=needle):
        LoadOptions(chat_format="custom", chat_template=template).validate()


def test_an_unknown_format_name_is_refused():
    with pytest.raises(OptionError, match="Prompt format must be one of"):
        LoadOptions(chat_format="vicuna").validate()


# -- the real test model without its chat template ---------------------------------------------


def _answer(backend: LocalBackend, params: SamplingParams) -> tuple[str, Stats]:
    text, stats = "", None
    for event in backend.start_reply(
        [{"role": "user", "content": "What is the capital of France?"}], params
    ):
        assert not isinstance(event, Error), event.message
        if isinstance(event, TextDelta):
            text += event.text
        elif isinstance(event, Stats):
            stats = event
    assert stats is not None
    return text, stats


GREEDY = SamplingParams(temperature=0.0, max_tokens=24)


def test_without_a_template_the_model_answers_in_the_format_its_vocabulary_names(
    no_template_model,
):
    backend = LocalBackend(no_template_model, LoadOptions(context_length=1024))
    try:
        info = backend.load()
        assert not info.chat_template
        assert (info.prompt_format, info.prompt_evidence) == ("chatml", "vocabulary")
        text, stats = _answer(backend, GREEDY)
        assert text.strip()
        assert stats.completion_tokens > 0
    finally:
        backend.unload()


def test_a_pasted_template_is_the_one_used(no_template_model):
    chatml = formats.FORMATS["chatml"].template
    padded = "{{ 'Answer in English. ' * 40 }}" + chatml  # 40 more sentences of prompt
    backend = LocalBackend(
        no_template_model,
        LoadOptions(context_length=1024, chat_format="custom", chat_template=padded),
    )
    try:
        info = backend.load()
        assert (info.prompt_format, info.prompt_evidence) == ("custom", "custom")
        _, stats = _answer(backend, GREEDY)
        padded_tokens = stats.prompt_tokens
    finally:
        backend.unload()
    backend = LocalBackend(no_template_model, LoadOptions(context_length=1024))
    try:
        backend.load()
        _, stats = _answer(backend, GREEDY)
    finally:
        backend.unload()
    assert padded_tokens >= stats.prompt_tokens + 40 * 4


def test_a_broken_pasted_template_does_not_load(no_template_model):
    backend = LocalBackend(
        no_template_model,
        LoadOptions(chat_format="custom", chat_template="{% if messages %}{{ 1 }}"),
    )
    with pytest.raises(ModelLoadError) as caught:
        backend.load()
    assert caught.value.kind == "invalid_options"
    assert "error on line 1" in str(caught.value)
    assert backend.process_pid is None


# -- the command line ----------------------------------------------------------------------------


def test_the_command_line_answers_without_a_template_and_says_when_nothing_comes(
    no_template_model,
):
    from test_cli import run_cli

    args = ["chat", "--model", str(no_template_model), "--no-save", "--temperature", "0"]
    args += ["--max-tokens", "24", "--prompt", "What is the capital of France?"]
    result = run_cli(*args)
    assert result.returncode == 0, result.stderr
    answer = result.stdout.strip()
    assert answer
    # A stop string that matches the answer's first character: a reply with no text at all.
    result = run_cli(*args, "--stop", answer[0])
    assert result.returncode == 1
    assert result.stdout.strip() == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: the model answered with nothing")
    assert "--chat-format" in lines[0]


def test_info_names_the_prompt_format(no_template_model, test_model):
    from test_cli import run_cli

    def row(path) -> str:
        result = run_cli("info", str(path))
        assert result.returncode == 0, result.stderr
        line = next(ln for ln in result.stdout.splitlines() if ln.startswith("prompt format"))
        return line.removeprefix("prompt format").strip()

    assert row(no_template_model) == "ChatML format, chosen from the model's vocabulary"
    assert row(test_model) == "the file's own template"


def test_the_command_line_takes_a_template_file_and_refuses_a_broken_one(
    no_template_model, tmp_path
):
    from test_cli import assert_one_error_line, run_cli

    broken = tmp_path / "broken.jinja"
    broken.write_text("{% for m in messages %}\n{{ m.content }\n{% endfor %}", encoding="utf-8")
    base = ["chat", "--model", str(no_template_model), "--no-save", "--prompt", "Hi"]
    assert_one_error_line(run_cli(*base, "--chat-template", str(broken)), 1, "error on line 2")
    assert_one_error_line(
        run_cli(*base, "--chat-template", str(tmp_path / "missing.jinja")), 1, "cannot be read"
    )
    assert_one_error_line(
        run_cli(*base, "--chat-template", str(broken), "--chat-format", "gemma"), 2, "not both"
    )
    good = tmp_path / "chatml.jinja"
    good.write_text(formats.FORMATS["chatml"].template, encoding="utf-8")
    result = run_cli(*base, "--chat-template", str(good), "--temperature", "0", "--max-tokens", "8")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip()


def test_saved_format_settings_fall_back_when_they_are_not_what_they_should_be():
    from workbench.core.options import sanitized

    opts = sanitized(LoadOptions, {"chat_format": "vicuna", "chat_template": 5})
    assert (opts.chat_format, opts.chat_template) == ("auto", "")
    opts = sanitized(LoadOptions, {"chat_format": "custom", "chat_template": "{{ x }"})
    assert (opts.chat_format, opts.chat_template) == ("custom", "{{ x }")  # shown, then refused
