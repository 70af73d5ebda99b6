"""One options form: controls for load options and sampling, built from ``core/options.py``.

Every place that edits options (the chat's model panel, the compare setup and its More…
dialog) builds its controls here, from the fields' own metadata (``describe()``): the label,
the range, the step and decimals, the help text, the choices, and the words an optional field
shows when it is not set. Ranges and parsing therefore cannot drift between the two pages.

Stop strings are one line of text, read and written with core's :func:`parse_stop` and
:func:`format_stop` (commas between entries, ``\\,`` for a comma, ``\\n`` for a new line).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from functools import partial
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QWidget,
)

from workbench.core.i18n import translate
from workbench.core.options import MAX_STOP_STRINGS, format_stop, parse_stop

#: a spin box holds a C int; wider ranges (seeds) use a double spin box with no decimals
_INT_MAX = 2**31 - 1


def _core(text: str) -> str:
    # Labels, help and "unset" words are declared in core/options.py (marked there for the
    # catalogue in its context) and translated here, where they are shown.
    return translate("core.options", text)


def camel_case(name: str) -> str:
    """``context_length`` → ``contextLength``: the usual object name of an option's control."""
    first, *rest = name.split("_")
    return first + "".join(part.title() for part in rest)


def stop_help() -> str:
    """How to type stop strings, for a placeholder or tooltip."""
    return translate(
        "OptionsForm", "Text that ends a reply; separate with commas, \\n for a new line"
    )


def option_control(spec: Mapping[str, Any], object_name: str) -> QWidget:
    """A control for one option (a ``describe()`` entry): its range, step and label from core.

    An optional number gets one value below its minimum that shows the field's ``unset`` words
    ("Automatic", "Random") and reads as ``None``.
    """
    label = _core(spec["label"])
    kind, lo, hi = spec["type"], spec.get("min"), spec.get("max")
    widget: QWidget
    if spec.get("choices"):
        widget = QComboBox()
        for choice in spec["choices"]:
            widget.addItem(choice, choice)
    elif kind == "bool":
        widget = QCheckBox(label)
    elif kind in ("float", "float | None"):
        widget = QDoubleSpinBox()
        widget.setDecimals(spec.get("decimals", 2))
        widget.setSingleStep(spec.get("step", 0.05))
        widget.setRange(lo, hi)
    elif kind in ("int", "int | None"):
        optional = bool(spec.get("optional"))
        low = lo - 1 if optional else lo  # one below the minimum stands for "not set"
        if hi > _INT_MAX:
            widget = QDoubleSpinBox()
            widget.setDecimals(0)
        else:
            widget = QSpinBox()
        widget.setRange(low, hi)
        widget.setSingleStep(spec.get("step", 1))
        if optional:
            unset = spec.get("unset")
            widget.setSpecialValueText(
                _core(unset) if unset else translate("OptionsForm", "Not set")
            )
    else:  # list[str]: the stop strings
        widget = QLineEdit()
        widget.setPlaceholderText(stop_help())
    widget.setObjectName(object_name)
    widget.setAccessibleName(label)
    widget.setToolTip(option_tooltip(spec))
    return widget


def option_tooltip(spec: Mapping[str, Any]) -> str:
    """The tooltip of a field's control: its help, or how to type stop strings."""
    if spec["type"] == "list[str]":
        return translate(
            "OptionsForm",
            "At most {count} stop strings. Text that ends a reply; separate with commas, "
            "\\n for a new line",
        ).format(count=MAX_STOP_STRINGS)
    return _core(spec["help"]) if spec.get("help") else ""


def control_value(widget: QWidget, spec: Mapping[str, Any]) -> Any:
    """The value a control from :func:`option_control` shows (not validated)."""
    if isinstance(widget, QCheckBox):
        return widget.isChecked()
    if isinstance(widget, QComboBox):
        return widget.currentData()
    if isinstance(widget, QLineEdit):
        return parse_stop(widget.text())
    if isinstance(widget, QDoubleSpinBox) and widget.decimals() == 0:
        value: Any = round(widget.value())
    elif isinstance(widget, QDoubleSpinBox):
        value = round(widget.value(), widget.decimals())
    else:
        value = widget.value()  # type: ignore[attr-defined]
    if spec.get("optional") and value == widget.minimum():  # type: ignore[attr-defined]
        return None
    return value


def set_control_value(widget: QWidget, spec: Mapping[str, Any], value: Any) -> None:
    """Show ``value`` in a control from :func:`option_control`."""
    if isinstance(widget, QCheckBox):
        widget.setChecked(bool(value))
    elif isinstance(widget, QComboBox):
        widget.setCurrentIndex(max(0, widget.findData(value)))
    elif isinstance(widget, QLineEdit):
        widget.setText(format_stop(list(value or [])))
    elif value is None:
        widget.setValue(widget.minimum())  # type: ignore[attr-defined]
    else:
        widget.setValue(value)  # type: ignore[attr-defined]


def connect_changed(widget: QWidget, slot: Callable[..., None]) -> None:
    """Call ``slot`` whenever the control's value changes."""
    if isinstance(widget, QCheckBox):
        widget.toggled.connect(slot)
    elif isinstance(widget, QComboBox):
        widget.currentIndexChanged.connect(slot)
    elif isinstance(widget, QLineEdit):
        widget.textChanged.connect(slot)
    else:
        widget.valueChanged.connect(slot)  # type: ignore[attr-defined]


class OptionsForm(QWidget):
    """A form of option controls, one row per field, in the order the specs are given.

    ``set_values`` does not emit ``value_changed``; edits (by the user or by code calling a
    control's own setter) do.

    Signals:
        value_changed(str): the name of the field whose control changed.
    """

    value_changed = Signal(str)

    def __init__(
        self,
        specs: Iterable[Mapping[str, Any]],
        *,
        object_name: Callable[[str], str] = camel_case,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.specs: dict[str, Mapping[str, Any]] = {spec["name"]: spec for spec in specs}
        self.controls: dict[str, QWidget] = {}
        self._quiet = 0
        self._unsent: set[str] = set()
        self._layout = QFormLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        # Labels go above their fields when the form is narrow (large text, small screens).
        self._layout.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self._layout.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for name, spec in self.specs.items():
            control = option_control(spec, object_name(name))
            self.controls[name] = control
            if spec["type"] == "bool":  # a check box carries its own label
                self._layout.addRow(control)
            elif isinstance(control, QLineEdit):  # free text needs the full width
                self._layout.addRow(self._label(_core(spec["label"]), control))
                self._layout.addRow(control)
            else:
                self._layout.addRow(self._label(_core(spec["label"]), control), control)
            connect_changed(control, partial(self._on_edited, name))

    @staticmethod
    def _label(text: str, buddy: QWidget) -> QLabel:
        label = QLabel(text)
        label.setBuddy(buddy)
        return label

    def insert_row(self, row: int, label: str, field: QWidget, buddy: QWidget) -> None:
        """Put a control that is not built here (e.g. a slider with its caption) at ``row``."""
        self._layout.insertRow(row, self._label(label, buddy), field)

    def add_row(self, label: str, field: QWidget) -> None:
        """Add a row below the options (e.g. a system prompt that belongs with them)."""
        self._layout.addRow(self._label(label, field), field)

    def _on_edited(self, name: str, *_args: object) -> None:
        if not self._quiet:
            self.value_changed.emit(name)

    def value(self, name: str) -> Any:
        return control_value(self.controls[name], self.specs[name])

    def values(self) -> dict[str, Any]:
        """Every field's value, by name (not validated)."""
        return {name: self.value(name) for name in self.controls}

    def set_values(self, values: object) -> None:
        """Show the values of the fields this form has, from a dict or an options object."""
        self._quiet += 1
        try:
            for name, control in self.controls.items():
                if isinstance(values, Mapping):
                    if name not in values:
                        continue
                    value = values[name]
                elif hasattr(values, name):
                    value = getattr(values, name)
                else:
                    continue
                set_control_value(control, self.specs[name], value)
        finally:
            self._quiet -= 1

    def set_unsent(self, names: Iterable[str], reason: str = "") -> None:
        """Grey out the fields the current source ignores, so nobody tunes a setting that has
        no effect; ``reason`` becomes their tooltip. Fields not named come back."""
        names = set(names)
        previous, self._unsent = self._unsent, names & set(self.controls)
        for name, control in self.controls.items():
            unsent = name in names
            if not unsent and name not in previous:
                continue  # untouched: keep its own tooltip
            control.setEnabled(not unsent)
            if unsent:
                control.setToolTip(reason)
            else:  # back to the setting's own tooltip
                control.setToolTip(option_tooltip(self.specs[name]))
