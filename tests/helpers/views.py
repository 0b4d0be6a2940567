"""Views hosted as the window hosts them, without the window: a Session over a small network,
a drawing set on it, and views in tabs. For tests of the views of the network's insides."""

from dataclasses import dataclass

import numpy as np

from core.network import Network
from core.training import TrainConfig
from ffn_gui.state.session import Drawing, Session


@dataclass
class Model:
    """What the views use of the window's model (ModelState): its network and config."""

    network: Network
    name: str = "test"
    config: TrainConfig | None = None


def digit_image(seed=0):
    rng = np.random.default_rng(seed)
    x = np.zeros((28, 28), np.float32)
    x[5:23, 12:16] = rng.uniform(0.4, 1.0, (18, 4))
    x[5:8, 8:16] = 1.0
    return x


def make_session(activation="relu", cost="cross_entropy", sizes=(784, 32, 24, 10), seed=1):
    net = Network(list(sizes), activation, cost, rng=np.random.default_rng(seed))
    config = TrainConfig(hidden=tuple(sizes[1:-1]), activation=activation, cost=cost)
    return Session(Model(net, "test", config))


def draw(session, x28):
    net = session.reader
    probs = net.predict_proba(x28.reshape(1, -1))[0]
    session.set_drawing(Drawing(x28, x28, probs, net))


def host(tabs, session, *classes):
    views = [cls(session) for cls in classes]
    for view in views:
        tabs.addTab(view, view.title)
    tabs.show()
    return views


def view_shown(qtbot, window, name):
    """``window.show_view(name)``, once the view is visible and up to date."""
    view = window.show_view(name)
    qtbot.waitUntil(lambda: view.isVisible() and not view.dirty)
    view.flush()
    return view
