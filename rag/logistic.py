"""A logistic regression fitted by a script and shipped as data: weights by feature, a bias and
the threshold chosen for users (answerability, semantic find)."""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Self


@dataclass(frozen=True)
class Logistic:
    weights: dict[str, float]
    bias: float
    threshold: float

    @classmethod
    def load(cls, path: Path) -> Self:
        data = json.loads(path.read_text(encoding="utf-8"))
        return cls(dict(data["weights"]), float(data["bias"]), float(data["threshold"]))

    def probability(self, features: Mapping[str, float]) -> float:
        """The fitted probability for ``features`` (every weighted feature must be there)."""
        z = self.bias + sum(w * features[name] for name, w in self.weights.items())
        return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, z))))
