"""The one options form, and the compare setup that uses it as the chat's model panel does."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QDialog, QDoubleSpinBox, QLineEdit, QSpinBox

from workbench.core.compare.targets import LOCAL, TargetSpec
from workbench.core.options import LoadOptions, SamplingParams
from workbench.qt.cloud import CloudSession
from workbench.ui.chat.model_panel import ModelPanel
from workbench.ui.compare.setup import NewComparisonDialog, TargetRow, TargetSettingsDialog
from workbench.ui.widgets.options_form import OptionsForm


@pytest.fixture
def form(qtbot):
    form = OptionsForm(SamplingParams.describe())
    qtbot.addWidget(form)
    return form


@pytest.fixture
def cloud(qtbot):
    return CloudSession()


def local_spec(**params) -> TargetSpec:
    return TargetSpec(LOCAL, "/models/m.gguf", params=params, load={"context_length": 2048})


# -- the form ------------------------------------------------------------------------------------


def test_controls_take_ranges_steps_and_words_from_core(form):
    c = form.controls
    assert (c["temperature"].minimum(), c["temperature"].maximum()) == (0.0, 5.0)
    assert c["temperature"].singleStep() == 0.05 and c["temperature"].decimals() == 2
    assert c["max_tokens"].minimum() == 1 and c["max_tokens"].maximum() == 1_048_576
    seed = c["seed"]
    assert isinstance(seed, QDoubleSpinBox) and seed.maximum() == 2**32 - 2  # beyond a C int
    assert seed.specialValueText() == "Random"
    assert isinstance(c["stop"], QLineEdit)
    assert c["top_k"].toolTip() == "0 turns it off"
    assert c["temperature"].accessibleName() == "Temperature"
    load = OptionsForm(LoadOptions.describe())
    assert load.controls["context_length"].singleStep() == 256
    assert load.controls["threads"].specialValueText() == "Automatic"
    load.deleteLater()


def test_values_round_trip_and_set_values_is_silent(qtbot, form):
    params = SamplingParams(temperature=1.25, top_k=7, stop=["User:", "a,b", "\n"], seed=2**32 - 2)
    with qtbot.assertNotEmitted(form.value_changed):
        form.set_values(params)
    assert SamplingParams(**form.values()) == params
    assert form.controls["stop"].text() == "User:, a\\,b, \\n"
    form.set_values({"seed": None})  # a dict may name only some fields
    assert form.value("seed") is None and form.value("top_k") == 7


def test_an_edit_names_its_field(qtbot, form):
    with qtbot.waitSignal(form.value_changed) as blocker:
        form.controls["stop"].setText("END")
    assert blocker.args == ["stop"]
    assert form.value("stop") == ["END"]


def test_unsent_fields_are_greyed_with_the_reason_and_come_back(form):
    form.set_unsent({"top_k", "min_p"}, "Not sent.")
    top_k = form.controls["top_k"]
    assert not top_k.isEnabled() and top_k.toolTip() == "Not sent."
    assert form.controls["temperature"].isEnabled()
    form.set_unsent(set())
    assert top_k.isEnabled() and top_k.toolTip() == "0 turns it off"
    assert form.controls["min_p"].isEnabled() and form.controls["min_p"].toolTip() == ""


def test_the_panel_and_the_compare_dialog_build_the_same_controls(qtbot):
    panel = ModelPanel()
    qtbot.addWidget(panel)
    dialog = TargetSettingsDialog(local_spec())
    qtbot.addWidget(dialog)
    for name, control in panel.sampling_controls.items():
        other = dialog.form.controls[name]
        assert type(other) is type(control), name
        if hasattr(control, "maximum"):
            assert (other.minimum(), other.maximum()) == (control.minimum(), control.maximum())
            assert other.specialValueText() == control.specialValueText()


# -- the compare setup ---------------------------------------------------------------------------


def test_more_dialog_reads_stop_strings_with_the_one_parser(qtbot):
    dialog = TargetSettingsDialog(local_spec(stop=["a,b", "User:"], seed=4_000_000_000))
    qtbot.addWidget(dialog)
    assert dialog.stop_edit.objectName() == "setting_stop"
    assert dialog.stop_edit.text() == "a\\,b, User:"  # an escaped comma, not two entries
    assert dialog.form.controls["seed"].value() == 4_000_000_000
    assert dialog.context.objectName() == "setting_context_length"
    assert dialog.context.value() == 2048
    dialog.stop_edit.setText("x\\,y, \\n")
    dialog.context.setValue(4096)
    dialog.system.setPlainText("  Be brief.  ")
    dialog.accept()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.spec.params["stop"] == ["x,y", "\n"]
    assert dialog.spec.params["seed"] == 4_000_000_000
    assert dialog.spec.load["context_length"] == 4096
    assert dialog.spec.system_prompt == "Be brief."


def test_more_dialog_refuses_bad_settings_with_core_sentence(qtbot):
    dialog = TargetSettingsDialog(TargetSpec("someprovider", "gpt-x"))
    qtbot.addWidget(dialog)
    assert dialog.context is None  # a cloud target has no context length to set
    dialog.stop_edit.setText(",".join(f"s{i}" for i in range(17)))
    dialog.accept()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert dialog.error.text() == "At most 16 stop strings are allowed."


def test_target_row_fields_and_more(qtbot, cloud, monkeypatch):
    row = TargetRow(cloud, ["/models/m.gguf"])
    qtbot.addWidget(row)
    assert isinstance(row.temperature, QDoubleSpinBox) and isinstance(row.max_tokens, QSpinBox)
    assert row.temperature.objectName() == "targetTemperature"
    assert row.temperature.value() == SamplingParams().temperature
    row.temperature.setValue(1.3)
    row.max_tokens.setValue(64)
    spec = row.spec()
    assert spec is not None and spec.model == "/models/m.gguf"
    assert (spec.params["temperature"], spec.params["max_tokens"]) == (1.3, 64)

    def fill(dialog):
        dialog.form.controls["temperature"].setValue(0.4)
        dialog.stop_edit.setText("###")
        dialog.accept()
        return dialog.result()

    monkeypatch.setattr(TargetSettingsDialog, "exec", fill)
    row.more.click()
    assert row.temperature.value() == 0.4  # the row shows what More… set
    spec = row.spec()
    assert spec.params["temperature"] == 0.4 and spec.params["stop"] == ["###"]
    assert spec.params["max_tokens"] == 64


def test_new_comparison_restores_previous_targets(qtbot, cloud):
    previous = [
        local_spec(temperature=0.2, max_tokens=50, stop=["a,b"]),
        TargetSpec(LOCAL, "/models/n.gguf", params={"temperature": 1.5}),
    ]
    dialog = NewComparisonDialog(cloud, [], previous=previous)
    qtbot.addWidget(dialog)
    first, second = dialog.rows
    assert first.temperature.value() == 0.2 and first.max_tokens.value() == 50
    assert second.temperature.value() == 1.5
    assert second.max_tokens.value() == SamplingParams().max_tokens
    specs = dialog.specs()
    assert specs[0].params["stop"] == ["a,b"] and specs[0].load == {"context_length": 2048}
