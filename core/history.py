"""A run's history: one copy of the network per epoch, in bounded memory.

``RunHistory.add(epoch, network)`` keeps an independent copy (``Network.copy()``) of the
network as it was at the end of ``epoch``. The copies together never take more than
``max_bytes``: when one more would not fit, every second epoch is let go (never the first or
the newest), so the history still spans the whole run, more coarsely. A 784-128-128-10 network
in float32 takes 0.47 MB, so the default budget of 64 MB holds 136 epochs before thinning.
"""

from __future__ import annotations

from .network import Network

MAX_BYTES = 64 * 2**20


def network_bytes(network: Network) -> int:
    return sum(p.nbytes for p in network.params)


class RunHistory:
    def __init__(self, max_bytes: int = MAX_BYTES) -> None:
        self.max_bytes = int(max_bytes)
        self._epochs: list[int] = []
        self._networks: list[Network] = []

    def clear(self) -> None:
        self._epochs.clear()
        self._networks.clear()

    def add(self, epoch: int, network: Network) -> None:
        """Keep a copy of ``network`` as epoch ``epoch`` (replacing an earlier copy of it)."""
        if self._epochs and epoch <= self._epochs[-1]:
            keep = [i for i, e in enumerate(self._epochs) if e < epoch]
            self._epochs = [self._epochs[i] for i in keep]
            self._networks = [self._networks[i] for i in keep]
        size = network_bytes(network)
        while self._networks and (len(self._networks) + 1) * size > self.max_bytes:
            if len(self._networks) < 3:
                self._epochs.pop(0)
                self._networks.pop(0)
            else:
                self._thin()
        self._epochs.append(int(epoch))
        self._networks.append(network.copy())

    def _thin(self) -> None:
        """Let go of every second epoch, keeping the first and the newest."""
        n = len(self._epochs)
        keep = [i for i in range(n) if i % 2 == 0 or i == n - 1]
        self._epochs = [self._epochs[i] for i in keep]
        self._networks = [self._networks[i] for i in keep]

    @property
    def epochs(self) -> list[int]:
        """The epochs kept, oldest first."""
        return list(self._epochs)

    def __len__(self) -> int:
        return len(self._epochs)

    def network(self, epoch: int) -> Network:
        """The copy kept for ``epoch`` (KeyError if that epoch is not kept)."""
        try:
            return self._networks[self._epochs.index(epoch)]
        except ValueError:
            raise KeyError(f"epoch {epoch} is not in the history {self._epochs}") from None

    @property
    def nbytes(self) -> int:
        return sum(network_bytes(n) for n in self._networks)
