"""Load options and sampling parameters: every bad value is refused with a plain sentence."""

from __future__ import annotations

import pytest

from workbench.core.options import (
    LoadOptions,
    OptionError,
    SamplingParams,
    format_stop,
    parse_stop,
    sanitized,
)


def test_defaults_are_valid():
    LoadOptions().validate()
    SamplingParams().validate()


@pytest.mark.parametrize(
    "field,value,message",
    [
        ("gpu_layers", -2, "GPU layers must be between -1 and 100000 (got -2)."),
        ("context_length", 100, "Context length must be between 256 and 1048576 (got 100)."),
        ("context_length", 4096.5, "Context length must be a whole number (got 4096.5)."),
        ("threads", 0, "Threads must be between 1 and 1024 (got 0)."),
        ("batch_size", 0, "Batch size must be between 1 and 65536 (got 0)."),
        ("flash_attention", "yes", "Flash attention must be on or off (got 'yes')."),
        ("use_mmap", 1, "Memory-map the model file must be on or off (got 1)."),
        ("seed", -5, "Seed must be between 0 and 4294967294 (got -5)."),
        ("kv_cache_type", "q3_k", "KV cache type must be one of"),
    ],
)
def test_bad_load_options(field, value, message):
    opts = LoadOptions(**{field: value})
    with pytest.raises(OptionError) as info:
        opts.validate()
    assert str(info.value).startswith(message)


def test_quantized_kv_cache_needs_flash_attention():
    with pytest.raises(OptionError, match="flash attention"):
        LoadOptions(kv_cache_type="q8_0").validate()
    LoadOptions(kv_cache_type="q8_0", flash_attention=True).validate()


@pytest.mark.parametrize(
    "field,value,message",
    [
        ("temperature", -0.1, "Temperature must be between 0 and 5"),
        ("temperature", float("nan"), "Temperature must be a finite number"),
        ("top_p", 1.01, "Top-p must be between 0 and 1"),
        ("top_k", -1, "Top-k must be between 0 and 100000"),
        ("min_p", 2, "Min-p must be between 0 and 1"),
        ("repeat_penalty", 11, "Repeat penalty must be between 0 and 10"),
        ("max_tokens", 0, "Maximum reply length (tokens) must be between 1"),
        ("max_tokens", True, "must be a whole number"),
        ("stop", [""], "A stop string cannot be empty."),
        ("stop", ["a"] * 17, "At most 16 stop strings"),
        ("stop", "abc", "Stop strings must be a list"),
    ],
)
def test_bad_sampling(field, value, message):
    with pytest.raises(OptionError) as info:
        SamplingParams(**{field: value}).validate()
    assert message in str(info.value)


def test_round_trip_ignores_unknown_keys():
    params = SamplingParams(temperature=0.2, stop=["###"])
    data = params.to_dict() | {"from_a_future_version": 1}
    assert SamplingParams.from_dict(data) == params
    assert LoadOptions.from_dict(None) == LoadOptions()


def test_describe_gives_ranges_for_the_settings_ui():
    fields = {f["name"]: f for f in LoadOptions.describe()}
    assert fields["context_length"]["min"] == 256
    assert fields["context_length"]["default"] == 4096
    assert fields["kv_cache_type"]["choices"][0] == "f16"


def test_resolved_threads():
    assert LoadOptions(threads=3).resolved_threads() == 3
    assert LoadOptions().resolved_threads() >= 1


# -- saved data ---------------------------------------------------------------------------------


def test_sanitized_keeps_good_values_and_drops_bad_ones():
    load = sanitized(LoadOptions, {"context_length": 2048, "threads": "x", "kv_cache_type": "q2"})
    assert load == LoadOptions(context_length=2048)
    sampling = sanitized(
        SamplingParams, {"temperature": 0.3, "top_k": -1, "stop": ["###", ""], "seed": 2**40}
    )
    assert sampling == SamplingParams(temperature=0.3)
    assert sanitized(SamplingParams, {"stop": ["a", "b"]}).stop == ["a", "b"]
    assert sanitized(SamplingParams, "nonsense") == SamplingParams()


def test_sanitized_leaves_a_cross_field_rule_to_be_explained():
    # A quantized cache without flash attention is kept: the form says why it cannot load.
    options = sanitized(LoadOptions, {"kv_cache_type": "q8_0"})
    assert options.kv_cache_type == "q8_0" and not options.flash_attention


# -- stop strings as one line ---------------------------------------------------------------------


def test_stop_string_text_round_trip():
    stops = ["User:", "\n\n", "a,b", "back\\slash", "tab\there"]
    assert parse_stop(format_stop(stops)) == stops
    assert format_stop(stops) == "User:, \\n\\n, a\\,b, back\\\\slash, tab\\there"
    assert parse_stop(" one ,two\nthree,, ") == ["one", "two", "three"]
    assert parse_stop("") == []


@pytest.mark.parametrize(
    "text,stops",
    [
        ("a\\,b, c", ["a,b", "c"]),  # an escaped comma stays in its entry
        ("\\n, \\t", ["\n", "\t"]),  # escapes are never stripped as spaces
        ("  x  ,\r\ny", ["x", "y"]),  # Windows line ends separate too
        ("C:\\path", ["C:\\path"]),  # a backslash before anything else stays
        ("trailing\\", ["trailing\\"]),
        ('"quoted, text"', ['"quoted', 'text"']),  # quotes are text, not grouping
        ("中文，句号", ["中文，句号"]),  # a full-width comma is text, not a separator
        ("###", ["###"]),
    ],
)
def test_parse_stop_rules(text, stops):
    assert parse_stop(text) == stops


def test_fields_declare_what_a_form_needs():
    load = {f["name"]: f for f in LoadOptions.describe()}
    sampling = {f["name"]: f for f in SamplingParams.describe()}
    assert load["context_length"]["step"] == 256
    assert load["threads"]["unset"] == "Automatic"
    assert load["seed"]["unset"] == sampling["seed"]["unset"] == "Random"
    assert load["seed"]["max"] == sampling["seed"]["max"] == 2**32 - 2
    assert sampling["temperature"]["step"] == 0.05 and sampling["temperature"]["decimals"] == 2
