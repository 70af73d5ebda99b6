"""The model panel, driven like a user would: pick files, move controls, load, presets, state."""

from __future__ import annotations

import json
import math

import pytest
from PySide6.QtCore import QLocale, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QComboBox,
    QFileDialog,
    QLineEdit,
    QPlainTextEdit,
    QSlider,
    QWidget,
)

from workbench.core import paths
from workbench.core.local.host import LoadInfo
from workbench.core.options import LoadOptions, SamplingParams
from workbench.core.presets import PresetStore
from workbench.ui.chat.model_file import scan_models
from workbench.ui.chat.model_panel import ModelPanel

NAMED = (
    "modelPicker",
    "browseModelButton",
    "loadButton",
    "unloadButton",
    "cancelLoadButton",
    "loadProgress",
    "modelStatus",
    "modelError",
    "gpuLayers",
    "contextLength",
    "threads",
    "advancedToggle",
    "batchSize",
    "flashAttention",
    "kvCacheType",
    "useMmap",
    "useMlock",
    "loadSeed",
    "reloadHint",
    "temperature",
    "topP",
    "topK",
    "minP",
    "repeatPenalty",
    "maxTokens",
    "stopStrings",
    "samplingSeed",
    "resetSamplingButton",
    "systemPrompt",
    "presetPicker",
    "savePresetButton",
    "deletePresetButton",
    "presetName",
)
CONTROLS = (QAbstractButton, QAbstractSpinBox, QComboBox, QSlider, QLineEdit, QPlainTextEdit)


def make_panel(qtbot) -> ModelPanel:
    panel = ModelPanel()
    qtbot.addWidget(panel)
    panel.resize(420, 900)
    panel.show()
    return panel


@pytest.fixture
def panel(qtbot):
    return make_panel(qtbot)


def fake_gguf(path, text=b"not a model at all\n"):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text)
    return path


def click(qtbot, button):
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def error_text(panel) -> str:
    return panel.model_error.text() if panel.model_error.isVisible() else ""


def load_info(**changes) -> LoadInfo:
    values = dict(
        load_s=0.4,
        n_ctx=4096,
        n_layers=30,
        gpu_offload_supported=True,
        chat_template=True,
        model_name="SmolLM2-135M-Instruct.Q4_1.gguf",
    )
    return LoadInfo(**{**values, **changes})


# -- names, accessibility, keyboard ----------------------------------------------------------


def test_object_names_and_accessible_names(panel):
    for name in NAMED:
        widget = panel.findChild(QWidget, name)
        assert widget is not None, name
        assert widget.accessibleName(), name
    controls = [w for w in panel.findChildren(QWidget) if isinstance(w, CONTROLS)]
    assert len(controls) >= 25
    for w in controls:
        if w.parent() is not None and isinstance(w.parent(), CONTROLS):
            continue  # e.g. the line edit inside a spin box
        assert w.accessibleName(), w.objectName() or type(w).__name__
        assert w.focusPolicy() & Qt.FocusPolicy.TabFocus, w.objectName()


def test_tab_order_runs_top_to_bottom(panel):
    chain, w = [], panel.model_picker
    for _ in range(400):
        chain.append(w.objectName())
        w = w.nextInFocusChain()
        if w is panel.model_picker:
            break
    wanted = [
        "modelPicker",
        "browseModelButton",
        "loadButton",
        "gpuLayersAuto",
        "gpuLayers",
        "temperature",
        "maxTokens",
        "resetSamplingButton",
        "systemPrompt",
        "presetPicker",
        "deletePresetButton",
        "advancedToggle",
        "contextLength",
        "threads",
        "batchSize",
        "topK",
        "samplingSeed",
    ]
    positions = [chain.index(name) for name in wanted]
    assert positions == sorted(positions)


def test_system_prompt_does_not_trap_tab(panel):
    assert panel.system_prompt_edit.tabChangesFocus()


# -- model library ---------------------------------------------------------------------------


def test_scanner_lists_first_shards_only(tmp_path):
    fake_gguf(tmp_path / "b.GGUF")
    fake_gguf(tmp_path / "sub" / "a.gguf")
    fake_gguf(tmp_path / "big-00001-of-00002.gguf")
    fake_gguf(tmp_path / "big-00002-of-00002.gguf")
    fake_gguf(tmp_path / "notes.txt")
    fake_gguf(tmp_path / ".cache" / "hidden.gguf")
    names = [p.rsplit("/", 1)[-1] for p in scan_models(tmp_path)]
    assert names == ["a.gguf", "b.GGUF", "big-00001-of-00002.gguf"]


def test_library_lists_models_and_reports_a_bad_header(qtbot):
    models = paths.models_dir()
    first = fake_gguf(models / "alpha.gguf")
    fake_gguf(models / "nested" / "beta-00001-of-00002.gguf")
    fake_gguf(models / "nested" / "beta-00002-of-00002.gguf")
    panel = make_panel(qtbot)
    qtbot.waitUntil(lambda: panel.model_picker.count() == 2)
    picker = panel.model_picker
    # Named as everywhere else (core.names): no ".gguf", no part numbers.
    assert [picker.itemText(i) for i in range(2)] == ["alpha", "beta"]
    assert picker.itemData(0) == str(first)
    assert picker.itemData(0, Qt.ItemDataRole.ToolTipRole) == str(first)
    # The first file is chosen, its header read off-thread: a text file is not a model.
    assert panel.model_path() == str(first)
    qtbot.waitUntil(lambda: "alpha.gguf is a text file" in error_text(panel))
    assert not panel.model_summary.isVisible()

    fake_gguf(models / "aardvark.gguf")
    panel.refresh_library()
    qtbot.waitUntil(lambda: picker.count() == 3)
    assert picker.itemText(0) == "aardvark"
    assert panel.model_path() == str(first)  # the choice survives a rescan


def test_empty_library_shows_placeholder_and_load_asks_for_a_file(qtbot, panel):
    qtbot.wait(200)  # let the (empty) scan finish
    assert panel.model_picker.count() == 0
    assert panel.model_picker.currentIndex() == -1
    assert panel.model_picker.placeholderText() == "No models yet — choose a file"
    with qtbot.assertNotEmitted(panel.load_requested):
        click(qtbot, panel.load_button)
    assert error_text(panel) == "Choose a model file first."


def test_browse_adds_a_file_outside_the_folder(qtbot, panel, tmp_path, monkeypatch):
    outside = fake_gguf(tmp_path / "elsewhere" / "mine.gguf")
    seen = {}

    def fake_dialog(parent, caption, folder, file_filter):
        seen["filter"] = file_filter
        return str(outside), file_filter

    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(fake_dialog))
    with qtbot.waitSignal(panel.settings_changed):
        click(qtbot, panel.browse_button)
    assert seen["filter"] == "GGUF models (*.gguf)"
    assert panel.model_path() == str(outside)
    assert panel.model_picker.currentText() == "mine"
    assert panel.model_picker.toolTip() == str(outside)
    panel.refresh_library()
    qtbot.wait(200)
    assert panel.model_path() == str(outside)  # kept although it is not in the folder


@pytest.mark.model
def test_real_model_summary_and_gpu_layers(qtbot, panel, test_model):
    panel.gpu.set_gpu_supported(True)  # the sentences below are those of a GPU build
    panel.set_model_path(str(test_model))
    qtbot.waitUntil(lambda: "30 layers" in panel.model_summary.text(), timeout=10_000)
    summary = panel.model_summary.text()
    assert summary.startswith("llama")
    assert "135M parameters" in summary and "Q4_1" in summary and "98.4 MB" in summary
    assert not error_text(panel)
    assert panel.model_info().block_count == 30

    spin = panel.gpu_layers
    assert panel.gpu.is_auto() and not spin.isEnabled()  # Auto is the default
    assert panel.load_options().gpu_layers is None
    qtbot.waitUntil(lambda: panel.gpu.plan() is not None, timeout=10_000)
    assert panel.gpu_layers_label.text().startswith("Auto: ")
    panel.gpu.auto_box.setChecked(False)  # manual: the output layer counts as one more
    assert spin.isEnabled() and (spin.minimum(), spin.maximum()) == (0, 31)
    spin.setValue(31)
    assert panel.gpu_layers_label.text() == "All 31 layers on the GPU"
    assert panel.load_options().gpu_layers == -1
    spin.setValue(24)
    assert panel.gpu_layers_label.text() == "24 of 31 layers on the GPU"
    assert panel.load_options().gpu_layers == 24
    spin.setValue(0)
    assert panel.gpu_layers_label.text() == "On the CPU (0 layers on the GPU)"
    assert panel.load_options().gpu_layers == 0
    assert panel.context_length.maximum() == 8192  # the trained context

    spin.setValue(12)
    with qtbot.waitSignal(panel.load_requested) as blocker:
        click(qtbot, panel.load_button)
    path, options = blocker.args
    assert path == str(test_model)
    assert options == LoadOptions(gpu_layers=12)


def test_gpu_layers_before_the_header_is_known(panel):
    panel.gpu.set_gpu_supported(True)
    assert panel.gpu_layers_label.text() == (
        "Auto: as many layers on your GPU as fit, chosen when the model loads"
    )
    panel.gpu.auto_box.setChecked(False)
    spin = panel.gpu_layers
    assert (spin.maximum(), spin.value()) == (100, 100)
    assert panel.gpu_layers_label.text() == "All layers on the GPU"
    spin.setValue(7)
    assert panel.gpu_layers_label.text() == "7 layers on the GPU"
    assert panel.load_options().gpu_layers == 7


# -- loading -----------------------------------------------------------------------------------


def test_load_requested_with_the_options_shown(qtbot, panel, tmp_path):
    path = str(fake_gguf(tmp_path / "m.gguf"))
    panel.set_model_path(path)
    panel.context_length.setValue(2048)
    panel.threads.setValue(4)
    panel.load_controls["batch_size"].setValue(256)
    panel.flash_attention.setChecked(True)
    panel.kv_cache_type.setCurrentIndex(panel.kv_cache_type.findData("q8_0"))
    panel.load_controls["seed"].setValue(42)
    panel.load_controls["use_mlock"].setChecked(True)
    with qtbot.waitSignal(panel.load_requested) as blocker:
        click(qtbot, panel.load_button)
    assert blocker.args == [
        path,
        LoadOptions(
            context_length=2048,
            threads=4,
            batch_size=256,
            flash_attention=True,
            kv_cache_type="q8_0",
            seed=42,
            use_mlock=True,
        ),
    ]


def test_quantized_kv_cache_without_flash_attention(qtbot, panel, tmp_path):
    panel.set_model_path(str(fake_gguf(tmp_path / "m.gguf")))
    qtbot.waitUntil(lambda: "m.gguf" in error_text(panel))  # the fake's header error
    kv = panel.kv_cache_type
    model = kv.model()
    q8 = kv.findData("q8_0")
    assert not model.item(q8).isEnabled()  # not offered without flash attention
    assert model.item(kv.findData("f16")).isEnabled()
    panel.flash_attention.setChecked(True)
    assert model.item(q8).isEnabled()
    kv.setCurrentIndex(q8)
    assert "m.gguf" in error_text(panel)  # a valid choice leaves the header error alone

    panel.flash_attention.setChecked(False)  # now invalid: say so at once
    sentence = "A quantized KV cache needs flash attention turned on."
    assert error_text(panel) == sentence
    with qtbot.assertNotEmitted(panel.load_requested):
        click(qtbot, panel.load_button)
    assert error_text(panel) == sentence
    panel.flash_attention.setChecked(True)
    assert error_text(panel) == ""


def test_status_progress_and_errors(qtbot, panel):
    assert panel.model_status.text() == "Not loaded"
    assert not panel.load_progress.isVisible() and not panel.cancel_load_button.isVisible()
    assert not panel.unload_button.isEnabled()

    panel.show_loading("SmolLM2-135M-Instruct.Q4_1.gguf")
    assert panel.model_status.text() == "Loading SmolLM2-135M-Instruct.Q4_1…"
    assert panel.load_progress.isVisible() and panel.cancel_load_button.isVisible()
    assert not panel.load_button.isEnabled()
    panel.show_progress(0.5)
    assert panel.load_progress.value() == 50
    with qtbot.waitSignal(panel.cancel_load_requested):
        click(qtbot, panel.cancel_load_button)

    panel.show_loaded(load_info(gpu_layers=31, total_layers=31))
    assert panel.model_status.text() == (
        f"Loaded SmolLM2-135M-Instruct.Q4_1.gguf in 0.4 s — context {QLocale().toString(4096)} "
        "tokens\n"
        "All 31 layers on the GPU."
    )
    assert not panel.load_progress.isVisible() and not panel.cancel_load_button.isVisible()
    assert panel.unload_button.isEnabled() and panel.load_button.isEnabled()
    with qtbot.waitSignal(panel.unload_requested):
        click(qtbot, panel.unload_button)
    panel.show_unloaded()
    assert panel.model_status.text() == "Not loaded"
    assert not panel.unload_button.isEnabled()

    panel.show_loading("x.gguf")
    panel.show_error("The model process crashed while loading.")
    assert error_text(panel) == "The model process crashed while loading."
    assert panel.model_status.text() == "Not loaded"
    assert not panel.load_progress.isVisible()
    panel.show_loading("x.gguf")  # a new attempt clears the old failure
    assert error_text(panel) == ""


def test_gpu_label_says_when_the_build_has_no_gpu(panel):
    panel.show_loaded(load_info(gpu_offload_supported=False))
    # No header was read (no file chosen), so the box takes the loaded model's layer count.
    assert panel.gpu_layers.maximum() == 31
    no_build = "on the CPU — this build of Workbench cannot use your graphics card"
    # Without a file's plan it does not guess whether a graphics card exists.
    assert panel.gpu_layers_label.text() == "Auto: on the CPU"
    assert panel.model_status.text().endswith("\nOn the CPU.")
    panel.gpu.auto_box.setChecked(False)
    for value in (31, 12, 0):  # a number set by hand never claims the GPU either
        panel.gpu_layers.setValue(value)
        assert panel.gpu_layers_label.text() == f"O{no_build[1:]}"


def test_reload_hint_after_changing_a_load_option(qtbot, panel, tmp_path):
    panel.set_model_path(str(fake_gguf(tmp_path / "m.gguf")))
    panel.context_length.setValue(2048)
    with qtbot.waitSignal(panel.load_requested):
        click(qtbot, panel.load_button)
    panel.context_length.setValue(1024)  # changed while loading: still differs once loaded
    panel.show_loading("m.gguf")
    panel.show_loaded(load_info())
    assert panel.reload_hint.isVisible()
    assert panel.reload_hint.text() == "Reload the model to apply these changes"
    panel.context_length.setValue(2048)
    assert not panel.reload_hint.isVisible()
    panel.sampling_controls["temperature"].setValue(1.5)  # sampling needs no reload
    assert not panel.reload_hint.isVisible()
    panel.flash_attention.setChecked(True)
    assert panel.reload_hint.isVisible()
    panel.show_unloaded()
    assert not panel.reload_hint.isVisible()


def test_simple_by_default_expert_controls_fold_under_advanced(panel):
    """A first look shows the model, GPU layers, temperature, reply length, the system prompt
    and the presets; every other load option and sampling control is under Advanced."""
    always = ("gpuLayers", "temperature", "maxTokens", "systemPrompt", "presetPicker")
    folded = (
        "contextLength",
        "threads",
        "batchSize",
        "flashAttention",
        "kvCacheType",
        "useMmap",
        "useMlock",
        "loadSeed",
        "topP",
        "topK",
        "minP",
        "repeatPenalty",
        "stopStrings",
        "samplingSeed",
    )
    assert not panel.advanced_toggle.isChecked()
    for name in always:
        assert panel.findChild(QWidget, name).isVisible(), name
    for name in folded:
        widget = panel.findChild(QWidget, name)
        assert not widget.isVisible(), name
        assert panel.advanced_section.isAncestorOf(widget), name
    panel.advanced_toggle.setChecked(True)
    for name in folded:
        assert panel.findChild(QWidget, name).isVisible(), name
    # Folded or not, every control still counts.
    panel.sampling_controls["top_k"].setValue(7)
    panel.context_length.setValue(2048)
    assert panel.sampling().top_k == 7 and panel.load_options().context_length == 2048


def test_cloud_source_hides_the_folded_load_options_too(panel):
    panel.advanced_toggle.setChecked(True)
    panel.set_local_mode(False)
    assert not panel.context_length.isVisible()
    assert panel.sampling_controls["top_k"].isVisible()
    panel.set_unsent_sampling({"top_k", "temperature"}, "not sent")
    assert not panel.sampling_controls["top_k"].isEnabled()
    assert not panel.sampling_controls["temperature"].isEnabled()
    panel.set_local_mode(True)
    assert panel.context_length.isVisible()


def test_advanced_section_toggles_and_is_remembered(qtbot, panel):
    assert not panel.advanced_section.isVisible()
    with qtbot.waitSignal(panel.settings_changed):
        click(qtbot, panel.advanced_toggle)
    assert panel.advanced_section.isVisible()
    assert panel.state()["advanced_open"] is True
    panel.advanced_toggle.setFocus()
    qtbot.keyClick(panel.advanced_toggle, Qt.Key.Key_Space)
    assert not panel.advanced_section.isVisible()


# -- state -------------------------------------------------------------------------------------


def test_state_round_trip(qtbot, panel, tmp_path):
    panel.set_model_path(str(tmp_path / "gone" / "old.gguf"))  # need not exist
    panel.gpu.auto_box.setChecked(False)
    panel.gpu_layers.setValue(24)
    panel.context_length.setValue(8192)
    panel.threads.setValue(6)
    panel.load_controls["batch_size"].setValue(1024)
    panel.flash_attention.setChecked(True)
    panel.kv_cache_type.setCurrentIndex(panel.kv_cache_type.findData("q4_0"))
    panel.load_controls["use_mmap"].setChecked(False)
    panel.load_controls["use_mlock"].setChecked(True)
    panel.load_controls["seed"].setValue(2**32 - 2)  # beyond a C int: must survive
    s = panel.sampling_controls
    s["temperature"].setValue(1.25)
    s["top_p"].setValue(0.8)
    s["top_k"].setValue(7)
    s["min_p"].setValue(0.1)
    s["repeat_penalty"].setValue(1.3)
    s["max_tokens"].setValue(333)
    s["seed"].setValue(5)
    panel.stop_strings.setText(r"User:, \n\n, a\,b")
    panel.system_prompt_edit.setPlainText("Answer in French.\nBe brief.")
    panel.advanced_toggle.setChecked(True)

    state = json.loads(json.dumps(panel.state()))  # what the main window stores
    assert state["load"]["gpu_layers"] == 24
    assert state["load"]["seed"] == 2**32 - 2
    assert state["sampling"]["stop"] == ["User:", "\n\n", "a,b"]

    fresh = make_panel(qtbot)
    with qtbot.assertNotEmitted(fresh.settings_changed):
        fresh.set_state(state)
    assert fresh.state() == state
    assert fresh.advanced_section.isVisible()
    LoadOptions.from_dict(state["load"]).validate()
    SamplingParams.from_dict(state["sampling"]).validate()


def test_state_keeps_all_layers_as_all(qtbot, panel):
    panel.gpu.set_layers(-1)
    fresh = make_panel(qtbot)
    fresh.gpu.set_layers(0)
    fresh.set_state(panel.state())
    assert fresh.load_options().gpu_layers == -1 and not fresh.gpu.is_auto()


def test_state_keeps_auto(qtbot, panel):
    assert panel.state()["load"]["gpu_layers"] is None  # the default
    fresh = make_panel(qtbot)
    fresh.gpu.set_layers(12)
    fresh.set_state(json.loads(json.dumps(panel.state())))
    assert fresh.gpu.is_auto() and fresh.load_options().gpu_layers is None
    fresh.set_state({"load": {"gpu_layers": 7}})  # saved before Auto existed: still 7
    assert fresh.load_options().gpu_layers == 7


@pytest.mark.parametrize(
    "garbage",
    [
        None,
        "nonsense",
        [1, 2],
        {"load": [1], "sampling": "x", "model_path": 5, "advanced_open": "yes"},
        {
            "model_path": "",
            "load": {
                "gpu_layers": "many",
                "context_length": 10**9,
                "threads": -3,
                "batch_size": 2.5,
                "flash_attention": "yes",
                "kv_cache_type": "q2_k",
                "use_mmap": None,
                "seed": -7,
                "unknown": 1,
            },
            "sampling": {
                "temperature": math.nan,
                "top_p": 2,
                "top_k": True,
                "min_p": "0.1",
                "max_tokens": 0,
                "stop": "User:",
                "seed": 2**40,
            },
            "system_prompt": 12,
            "future_key": {"x": 1},
        },
    ],
)
def test_set_state_with_garbage_falls_back_to_defaults(panel, garbage):
    panel.set_state(garbage)
    assert panel.load_options() == LoadOptions()
    assert panel.sampling() == SamplingParams()
    assert panel.system_prompt() == ""
    assert panel.state()["advanced_open"] is False
    assert panel.model_path() is None


def test_set_state_keeps_the_good_values_among_bad_ones(panel):
    panel.set_state(
        {
            "load": {"context_length": 2048, "threads": "x"},
            "sampling": {"temperature": 0.3, "top_k": -1, "stop": ["###", ""]},
        }
    )
    assert panel.load_options() == LoadOptions(context_length=2048)
    assert panel.sampling() == SamplingParams(temperature=0.3)


# -- sampling and presets ----------------------------------------------------------------------


def test_reset_restores_sampling_defaults(qtbot, panel):
    panel.sampling_controls["temperature"].setValue(2.0)
    panel.sampling_controls["max_tokens"].setValue(5)
    panel.stop_strings.setText("END")
    assert panel.sampling() != SamplingParams()
    with qtbot.waitSignal(panel.settings_changed):
        click(qtbot, panel.reset_sampling_button)
    assert panel.sampling() == SamplingParams()
    assert panel.stop_strings.text() == ""


def test_too_many_stop_strings_are_explained(panel):
    panel.stop_strings.setText(",".join(f"s{i}" for i in range(17)))
    assert panel.sampling_error.isVisible()
    assert panel.sampling_error.text() == "At most 16 stop strings are allowed."
    panel.stop_strings.setText("s1, s2")
    assert not panel.sampling_error.isVisible()


def choose_preset(qtbot, panel, name):
    """Pick a preset with the keyboard, as a user would."""
    picker = panel.preset_picker
    picker.setFocus()
    target = picker.findData(name)
    assert target >= 0, name
    key = Qt.Key.Key_Down if picker.currentIndex() < target else Qt.Key.Key_Up
    while picker.currentIndex() != target:
        qtbot.keyClick(picker, key)


def test_choosing_a_preset_applies_it(qtbot, panel):
    panel.system_prompt_edit.setPlainText("old prompt")
    with qtbot.waitSignal(panel.settings_changed):
        choose_preset(qtbot, panel, "Precise")
    assert panel.sampling() == SamplingParams(temperature=0.2, top_p=0.9)
    assert panel.system_prompt() == ""
    choose_preset(qtbot, panel, "Creative")
    assert panel.sampling() == SamplingParams(temperature=1.0, top_p=0.98, min_p=0.02)
    assert panel.preset_picker.currentText() == "Creative"
    panel.sampling_controls["top_k"].setValue(3)  # no longer the preset: the name goes
    assert panel.preset_picker.currentIndex() == -1
    assert not panel.delete_preset_button.isEnabled()


def test_save_and_delete_a_preset_inline(qtbot, panel):
    assert not panel.preset_name.isVisible()
    panel.sampling_controls["temperature"].setValue(0.35)
    panel.system_prompt_edit.setPlainText("You are terse.")
    click(qtbot, panel.save_preset_button)
    assert panel.preset_name.isVisible() and panel.preset_name.hasFocus()

    qtbot.keyClicks(panel.preset_name, "x" * 81)
    qtbot.keyClick(panel.preset_name, Qt.Key.Key_Return)
    assert panel.preset_message.text() == "A preset name can be at most 80 characters long."
    assert panel.preset_name.isVisible()

    panel.preset_name.clear()
    qtbot.keyClicks(panel.preset_name, "  Terse ")
    with qtbot.waitSignal(panel.settings_changed):
        qtbot.keyClick(panel.preset_name, Qt.Key.Key_Return)
    assert not panel.preset_name.isVisible()
    assert panel.preset_picker.currentText() == "Terse"
    saved = PresetStore().get("Terse")  # on disk, readable by a new store
    assert saved.system_prompt == "You are terse."
    assert saved.sampling["temperature"] == 0.35

    panel.reset_sampling()
    choose_preset(qtbot, panel, "Terse")
    assert panel.sampling().temperature == 0.35

    assert panel.delete_preset_button.isEnabled()
    click(qtbot, panel.delete_preset_button)
    assert "Terse" not in PresetStore().names()
    assert panel.preset_picker.findData("Terse") == -1


def test_escape_cancels_saving_a_preset(qtbot, panel):
    click(qtbot, panel.save_preset_button)
    qtbot.keyClicks(panel.preset_name, "Never")
    qtbot.keyClick(panel.preset_name, Qt.Key.Key_Escape)
    assert not panel.preset_name.isVisible()
    assert "Never" not in PresetStore().names()


def test_corrupt_presets_file_is_reported_in_the_panel(qtbot, workbench_home):
    (workbench_home / "presets.json").write_text("{oops", encoding="utf-8")
    panel = make_panel(qtbot)
    assert panel.preset_picker.count() == 0
    assert panel.preset_message.isVisible()
    assert "presets.json.bad" in panel.preset_message.text()


# -- threads -----------------------------------------------------------------------------------


@pytest.mark.model
def test_panel_deleted_while_a_header_is_read(qtbot, test_model):
    panel = ModelPanel()
    panel.set_model_path(str(test_model))
    panel.deleteLater()
    qtbot.wait(600)  # the worker reports into nothing; no crash, no warning
    survivor = make_panel(qtbot)
    survivor.set_model_path(str(test_model))
    qtbot.waitUntil(lambda: "30 layers" in survivor.model_summary.text(), timeout=10_000)


def test_gpu_label_knows_the_build_before_any_model_loads(qtbot, panel):
    from workbench.core.local.capabilities import gpu_offload_supported

    supported = gpu_offload_supported()
    qtbot.waitUntil(lambda: panel.gpu.gpu_supported() is not None, timeout=5_000)
    assert panel.gpu.gpu_supported() is supported
    text = panel.gpu_layers_label.text()
    # Without a build that can offload, Auto never promises the GPU.
    assert (text == "Auto: on the CPU") is (not supported)
