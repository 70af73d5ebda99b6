"""The GPU layers control in the model panel: Auto by default, its plan and sentence, a number by
hand, and the load status after an out-of-memory retry."""

from __future__ import annotations

import pytest

from workbench.core.local import layers as L
from workbench.core.local.host import LoadInfo
from workbench.core.options import LoadOptions
from workbench.core.sysmem import GPUInfo, MemoryInfo
from workbench.ui.chat import gpu_layers as control_module
from workbench.ui.chat.model_panel import ModelPanel

MiB, GiB = 2**20, 2**30
# A small GPU: with the test model, 750 MiB free holds 22 of 31 layers at a 4,096-token
# context and 6 at 8,192 (the plan's own figures; checked below before they are relied on).
SMALL_GPU = MemoryInfo(64 * GiB, 48 * GiB, (GPUInfo("Test GPU", 2 * GiB, 750 * MiB, "cuda"),))


@pytest.fixture
def panel(qtbot, monkeypatch):
    def plan_on_small_gpu(path, options):
        return L.plan_for_file(path, options, memory=SMALL_GPU, gpu_supported=True)

    monkeypatch.setattr(control_module, "plan_for_file", plan_on_small_gpu)
    widget = ModelPanel()
    qtbot.addWidget(widget)
    widget.gpu.set_gpu_supported(True)
    return widget


@pytest.mark.model
def test_auto_plans_for_the_chosen_model_and_context(qtbot, panel, test_model):
    short = L.plan_for_file(test_model, LoadOptions(), memory=SMALL_GPU, gpu_supported=True)
    long = L.plan_for_file(
        test_model, LoadOptions(context_length=8192), memory=SMALL_GPU, gpu_supported=True
    )
    assert short.reason == long.reason == "partial" and long.layers < short.layers

    panel.set_model_path(str(test_model))
    qtbot.waitUntil(lambda: panel.gpu.plan() is not None, timeout=10_000)
    label, spin = panel.gpu_layers_label, panel.gpu_layers
    tokens = panel.locale().toString  # the number as the interface's language writes it
    assert label.text() == (
        f"Auto: {short.layers} of 31 layers on your GPU, to leave room for a context of "
        f"{tokens(4096)} tokens"
    )
    assert spin.value() == short.layers and not spin.isEnabled()
    assert panel.load_options().gpu_layers is None

    with qtbot.assertNotEmitted(panel.gpu.layers_changed):  # a plan is not a user's change
        panel.context_length.setValue(8192)
        qtbot.waitUntil(lambda: panel.gpu.plan().n_ctx == 8192, timeout=10_000)
    assert spin.value() == long.layers
    assert f"Auto: {long.layers} of 31 layers" in label.text()
    assert f"{tokens(8192)} tokens" in label.text()

    # Taking it by hand starts from what Auto chose.
    with qtbot.waitSignal(panel.settings_changed):
        panel.gpu.auto_box.click()
    assert spin.isEnabled() and panel.load_options().gpu_layers == long.layers
    assert label.text() == f"{long.layers} of 31 layers on the GPU"
    panel.gpu.auto_box.click()
    assert panel.load_options().gpu_layers is None and label.text().startswith("Auto: ")


def test_auto_is_reachable_by_keyboard(qtbot, panel):
    panel.gpu.auto_box.setFocus()
    assert panel.gpu.auto_box.nextInFocusChain() is panel.gpu_layers
    qtbot.keyClick(panel.gpu.auto_box, " ")
    assert not panel.gpu.is_auto() and panel.gpu_layers.isEnabled()


@pytest.mark.parametrize(
    ("changes", "sentence"),
    [
        (
            {"gpu_layers": 15, "total_layers": 31, "gpu_retried": True, "gpu_tried": 31},
            "Not enough graphics memory for 31 layers; loaded with 15 on the GPU.",
        ),
        (
            {"gpu_layers": 0, "total_layers": 31, "gpu_retried": True, "gpu_tried": 31},
            "Not enough graphics memory for 31 layers; loaded on the CPU.",
        ),
        ({"gpu_layers": 24, "total_layers": 31}, "24 of 31 layers on the GPU."),
        (
            {"gpu_layers": 0, "total_layers": 31, "gpu_offload_supported": False},
            "On the CPU.",  # why is the GPU layers line's to say, not repeated here
        ),
    ],
)
def test_load_status_says_where_the_layers_went(panel, changes, sentence):
    values = {"gpu_offload_supported": True, **changes}
    info = LoadInfo(
        load_s=1.5, n_ctx=4096, n_layers=30, chat_template=True, model_name="m.gguf", **values
    )
    panel.show_loaded(info)
    first, second = panel.model_status.text().split("\n")
    assert first.startswith("Loaded m.gguf") and second == sentence
