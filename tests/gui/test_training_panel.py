"""The training panel on its own: settings, validation at the control, presets, progress."""

from __future__ import annotations

from dataclasses import replace

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from core.training import PRESETS, BatchProgress, EpochProgress, TrainResult
from ffn_gui.widgets.training_panel import TrainingPanel
from ffn_gui.work.train_worker import TrainOutcome


@pytest.fixture
def panel(qtbot):
    p = TrainingPanel()
    qtbot.addWidget(p)
    p.show()
    p.set_data_status("MNIST — test data", True)
    return p


def test_starts_on_the_default_preset(panel):
    assert panel.preset_name() == "default"
    assert panel.config() == PRESETS["default"]
    assert panel.train_button.isEnabled()
    assert not panel.pause_button.isEnabled() and not panel.stop_button.isEnabled()


def test_every_control_explains_itself(panel):
    for name, widget in panel.controls.items():
        assert len(widget.toolTip()) > 40, name
    assert panel.preset_combo.toolTip()


@pytest.mark.parametrize(
    "name, text, words",
    [
        ("hidden", "128, abc", "whole numbers"),
        ("hidden", "128, 0", "1 to"),
        ("learning_rate", "-1", "learning rate"),
        ("learning_rate", "fast", "number"),
        ("l2", "2", "L2"),
    ],
)
def test_invalid_text_is_refused_at_the_control(panel, qtbot, name, text, words):
    panel.controls[name].setText(text)
    label = panel.error_labels[name]
    assert label.isVisible()
    assert words.lower() in label.text().lower()
    assert "#dc2626" in label.styleSheet()  # red
    assert panel.config() is None
    assert not panel.train_button.isEnabled()
    assert "Fix the settings" in panel.train_button.toolTip()
    assert set(panel.errors()) == {name}

    panel.set_preset("default")  # fixing it clears the message and enables Train again
    assert not label.isVisible()
    assert panel.train_button.isEnabled()


def test_validation_and_batch_size_are_checked_against_the_data(panel):
    panel.set_n_examples(5000)  # the default validation of 10,000 does not fit
    assert "validation" in panel.errors()
    assert panel.error_labels["validation"].isVisible()
    assert not panel.train_button.isEnabled()
    panel.controls["validation"].setValue(1000)
    assert panel.errors() == {}
    panel.controls["batch_size"].setValue(4500)
    assert "batch_size" in panel.errors()
    assert "larger than the 4,000" in panel.error_labels["batch_size"].text()
    panel.controls["batch_size"].setValue(100)
    assert panel.train_button.isEnabled()


def test_changing_a_control_marks_the_preset_modified_and_back(panel):
    panel.controls["epochs"].setValue(7)
    assert panel.preset_name() == "default" and panel.preset_modified
    assert panel.preset_combo.currentText() == "default (modified)"
    assert panel.config().epochs == 7
    panel.controls["epochs"].setValue(PRESETS["default"].epochs)
    assert panel.preset_name() == "default" and not panel.preset_modified
    assert panel.preset_combo.currentText() == "default"


def test_a_modified_preset_is_restorable_and_never_silently_overwritten(panel):
    assert [panel.preset_combo.itemData(i) for i in range(panel.preset_combo.count())] == \
        list(PRESETS)  # no "custom" entry that does nothing when chosen
    panel.set_preset("seed")
    panel.controls["epochs"].setValue(3)
    assert panel.preset_combo.currentText() == "seed (modified)"
    index = panel.preset_combo.findData("seed")
    panel.preset_combo.activated.emit(index)  # the user chooses "seed" again: restored
    assert panel.config() == PRESETS["seed"] and not panel.preset_modified
    assert panel.back_button.isVisible()
    QTest.mouseClick(panel.back_button, Qt.MouseButton.LeftButton)  # the edit comes back
    assert panel.config() == replace(PRESETS["seed"], epochs=3)
    assert panel.preset_combo.currentText() == "seed (modified)"
    panel.preset_combo.setCurrentIndex(panel.preset_combo.findData("default"))
    assert panel.config() == PRESETS["default"]
    assert panel.back_button.isVisible() and "kept" in panel.preset_help.text()
    panel.back_button.click()
    assert panel.config() == replace(PRESETS["seed"], epochs=3)


def test_the_list_offers_the_preset_the_hint_says_to_choose(panel, qtbot):
    panel.set_preset("seed")
    panel.controls["epochs"].setValue(3)
    combo = panel.preset_combo
    assert combo.currentText() == "seed (modified)"
    assert "choose seed in the list to restore it" in panel.preset_help.text()
    combo.showPopup()
    listed = [combo.view().model().index(i, 0).data() for i in range(combo.count())]
    assert "seed" in listed and not any("modified" in text for text in listed)
    combo.hidePopup()
    assert combo.currentText() == "seed (modified)"


def test_choosing_a_preset_loads_it(panel):
    panel.preset_combo.setCurrentIndex(panel.preset_combo.findData("seed"))
    assert panel.config() == PRESETS["seed"]
    assert panel.controls["hidden"].text() == "128, 128"
    assert panel.controls["learning_rate"].text() == "3"
    assert "notes" in panel.preset_help.text()
    assert not panel.controls["momentum"].isEnabled()  # only used by the momentum optimiser


def test_set_config_round_trips(panel):
    config = replace(PRESETS["seed"], hidden=(30,), optimizer="momentum", momentum=0.5,
                     l2=1e-5, seed=9, validation=0)
    panel.set_config(config)
    assert panel.config() == config
    assert panel.preset_modified
    assert panel.controls["momentum"].isEnabled()


def test_no_data_disables_train(panel):
    panel.set_data_status("No MNIST found.", False)
    assert not panel.train_button.isEnabled()
    assert "Load MNIST" in panel.train_button.toolTip()


def test_progress_and_the_end_of_a_run(panel):
    config = replace(PRESETS["default"], epochs=2)
    panel.start_run(config)
    assert not panel.settings_box.isEnabled()
    assert panel.stop_button.isEnabled() and not panel.train_button.isEnabled()
    assert panel.progress_label.text() == "Preparing augmented digits…"  # default augments
    panel.show_progress(BatchProgress(1, 2, 50, 100, 0.9, 6400, 10.0))
    assert panel.progress_bar.format() == "Epoch 1/2"
    assert panel.progress_bar.value() == 250
    assert "0:10 elapsed" in panel.progress_label.text()
    assert "ETA estimating…" in panel.progress_label.text()  # one report measures no rate
    for k, t in ((60, 12.0), (70, 14.0), (80, 16.0)):  # 5% of the run every 2 s
        panel.show_progress(BatchProgress(1, 2, k, 100, 0.8, 128 * k, t))
    assert "ETA 0:24" in panel.progress_label.text()  # 60% left at 2.5% a second
    epoch1 = EpochProgress(1, 2, 0.5, 0.9, 0.55, 0.89, 0.002, 20.0, 20.0)
    panel.show_progress((BatchProgress(1, 2, 100, 100, 0.6, 12800, 19.0), epoch1))
    assert "validation 89.00%" in panel.result_label.text()

    panel.set_paused(True)
    assert panel.pause_button.text() == "Resume"
    assert panel.progress_bar.format().startswith("Paused")
    panel.set_paused(True)
    assert panel.progress_bar.format().count("Paused") == 1
    panel.set_paused(False)
    assert panel.progress_bar.format() == "Epoch 2/2"

    epoch2 = EpochProgress(2, 2, 0.3, 0.95, 0.35, 0.94, 0.001, 40.0, 0.0)
    outcome = TrainOutcome(None, config, TrainResult((epoch1, epoch2), False, 40.0), 0.3, 0.9375,
                           "test", None)
    panel.finish_run(outcome)
    assert "Test accuracy 93.75%" in panel.result_label.text()
    assert panel.progress_bar.format() == "Done: 2/2 epochs"
    assert panel.settings_box.isEnabled() and panel.train_button.isEnabled()


def test_buttons_emit_requests(panel, qtbot):
    panel.run_bar.show()
    with qtbot.waitSignal(panel.train_clicked, timeout=1000):
        qtbot.mouseClick(panel.train_button, Qt.MouseButton.LeftButton)
    # The data line's "Load data" menu: Download, Open folder, Open Kaggle CSV.
    entries = panel.data_button.menu().actions()
    assert entries == [panel.download_action, panel.open_folder_action, panel.open_csv_action]
    for action, signal in ((panel.download_action, panel.download_clicked),
                           (panel.open_folder_action, panel.open_folder_clicked),
                           (panel.open_csv_action, panel.open_csv_clicked)):
        with qtbot.waitSignal(signal, timeout=1000):
            action.trigger()


def test_data_limits_are_checked_even_while_another_control_is_invalid(panel):
    panel.set_n_examples(60_000)
    panel.controls["hidden"].setText("oops")
    panel.controls["validation"].setValue(70_000)
    assert set(panel.errors()) == {"hidden", "validation"}
    assert panel.error_labels["validation"].isVisible()


def test_hidden_layers_may_be_separated_by_spaces(panel):
    panel.controls["hidden"].setText("128 128")
    assert panel.config().hidden == (128, 128) and not panel.errors()
    panel.controls["hidden"].setText("64; 32,16")
    assert panel.config().hidden == (64, 32, 16)


def test_zero_epochs_is_refused_with_a_reason_not_undone(panel):
    panel.controls["epochs"].setValue(0)
    assert panel.controls["epochs"].value() == 0
    assert panel.config() is None and not panel.train_button.isEnabled()
    assert panel.error_labels["epochs"].isVisible()
    assert panel.errors()["epochs"] == "Epochs must be 1 to 10,000, got 0"


def test_messages_show_numbers_as_people_write_them(panel):
    panel.set_n_examples(60_000)
    panel.controls["validation"].setValue(70_000)
    assert "70,000" in panel.errors()["validation"] and "60,000" in panel.errors()["validation"]
    panel.controls["validation"].setValue(10_000)
    panel.controls["learning_rate"].setText("1e9")
    assert panel.errors()["learning_rate"] == \
        "Learning rate must be in (0, 1,000], got 1,000,000,000"


def test_an_error_line_does_not_move_the_rows_below(panel, qtbot):
    below = panel.controls["activation"]
    qtbot.wait(10)
    top = below.mapTo(panel, below.rect().topLeft())
    panel.controls["hidden"].setText("oops, a long message that wraps and wraps and wraps")
    qtbot.wait(10)
    assert panel.error_labels["hidden"].isVisible()
    assert below.mapTo(panel, below.rect().topLeft()) == top
