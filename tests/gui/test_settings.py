"""Settings files: one that could run code (PySide6 unpickles @Variant PyObjectWrapper values
when they are read) is set aside with a notice; a normal one is used."""

import os

from PySide6.QtCore import QSettings

from ffn_gui.state.settings import Settings


class Evil:
    def __init__(self, path):
        self.path = path

    def __reduce__(self):
        return (os.mkdir, (self.path,))


def test_a_settings_file_that_could_run_code_is_set_aside(qtbot, tmp_path):
    target = str(tmp_path / "pwned")
    first = Settings()
    first.store.setValue("training/preset", "seed")
    first.store.setValue("training/config", Evil(target))  # pickled by PySide6 into the INI
    first.sync()
    path = first.store.fileName()
    del first
    assert b"PyObjectWrapper" in open(path, "rb").read()
    assert not os.path.exists(target)

    settings = Settings()
    assert settings.notice and "could run code" in settings.notice
    assert settings.train_settings()[0] == "default"  # defaults, nothing read from the file
    assert not os.path.exists(target)
    assert os.path.exists(path + ".bad") and not os.path.exists(path)


def test_ordinary_settings_are_read_without_notice(qtbot):
    s = Settings()
    s.store.setValue("training/preset", "seed")
    s.sync()
    again = Settings()
    assert again.notice is None and again.train_settings()[0] == "seed"
    # an INI file in the folder QSettings.setPath points at (the tests' own), never the
    # platform's native store, which the tests could not redirect
    assert again.store.format() == QSettings.Format.IniFormat
    probe = QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, "probe").fileName()
    assert again.store.fileName().startswith(os.path.dirname(probe) + os.sep)


def test_the_window_tells_the_user_when_settings_were_set_aside(qtbot, tmp_path):
    from ffn_gui import MainWindow

    s = Settings()
    s.store.setValue("training/config", Evil(str(tmp_path / "pwned")))
    s.sync()
    del s
    w = MainWindow(search_data=False)
    qtbot.addWidget(w)
    assert "could run code" in w.statusBar().currentMessage()
    assert not (tmp_path / "pwned").exists()
