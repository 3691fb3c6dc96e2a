"""The published code's draw order (``draws="legacy"``) against numbers of the published code itself.

The reference values below are the first three trials of cells of Table 1 as produced by the public
repository PerceptronV/orderedness-by-pruning (``notebooks/table.ipynb``, ``experiments.run`` with seed
3141592, torch 2.13.0 on CPU, its brute-force orderedness), recorded by running that code unchanged.
With ten trials the same runs print the 27 published cells; ``python -m cpl table1 --legacy`` checks them.
"""
import numpy as np
import pytest

pytest.importorskip("torch")

import torch  # noqa: E402

from cpl import TrainConfig, get_task, train  # noqa: E402
from cpl import experiments, legacy  # noqa: E402

#: (row, task, weights_init, values_init, pruner, amount) -> [(start, ΔO)] of trials 0, 1, 2.
PUBLISHED_CODE = {
    ("random", "none", "normal", "normal", "random", 0.5): [(0.725762, 0.222771), (0.802550, 0.096572),
                                                            (0.743655, 0.139050)],
    ("random", "sine", "normal", "normal", "random", 0.5): [(0.670938, 0.018618), (0.686812, 0.093213),
                                                            (0.644933, 0.131769)],
    ("zeros", "none", "normal", "zeros", "none", 0.5): [(0.511705, 0.0), (0.598530, 0.0), (0.723374, 0.0)],
    ("uniform", "none", "uniform", "normal", "none", 0.5): [(0.714810, 0.0), (0.701935, 0.0), (0.706138, 0.0)],
    ("dynamic-topk", "xor", "normal", "normal", "dynamic-topk", 0.5): [(0.725762, 0.090357), (0.709059, 0.223242),
                                                                       (0.789004, 0.167810)],
}


@pytest.mark.parametrize("cell", list(PUBLISHED_CODE), ids=lambda c: f"{c[0]}-{c[1]}")
def test_legacy_draws_reproduce_the_published_code_trial_by_trial(cell):
    # the cell as `python -m cpl table1 --legacy --trials 3` runs it: from experiments/table1-legacy.toml
    row, task, weights, values, pruner, amount = cell
    grid = experiments.load("table1-legacy", {"trials": 3})
    config, _ = experiments._table1_cells(grid.cells)[row, "untrained" if task == "none" else task]
    assert (config.task, config.weights_init, config.values_init, config.pruner) == (task, weights, values, pruner)
    assert config.amount == (0.0 if pruner == "none" else amount) and config.draws == "legacy"
    assert config.seed == legacy.LEGACY_SEED
    result = train(config)
    expected = np.array(PUBLISHED_CODE[cell])
    np.testing.assert_allclose(result.start, expected[:, 0], atol=2e-6)
    np.testing.assert_allclose(result.delta, expected[:, 1], atol=2e-6)


def test_a_trial_depends_only_on_the_trials_before_it():
    task = get_task("xor")
    short, long = (legacy.draws(task, trials=n, pruner="random") for n in (2, 4))
    for name in ("weight", "values", "order", "mask"):
        assert torch.equal(getattr(short, name), getattr(long, name)[:2])
    assert not torch.equal(long.weight[0], long.weight[1])


def test_one_mask_per_task_shared_by_the_untrained_and_xor_columns():
    none, xor, sine = (legacy.draws(get_task(t), trials=3, pruner="random") for t in ("none", "xor", "sine"))
    assert torch.equal(none.mask, xor.mask)                     # same shape, same draws before the mask
    assert all(torch.equal(m, none.mask[0]) for m in none.mask)  # one mask for every trial
    assert sine.mask.shape[1:] == (9, 11) and 0.3 < sine.mask.float().mean() < 0.7
    assert legacy.draws(get_task("xor"), trials=1, pruner="topk").mask is None


def test_the_top_k_count_of_the_published_code():
    # k(t) = 1 - 3e-12 at XOR's second epoch: the published int(k * 48) prunes one weight, our guard none
    k = 1 - 0.5 * np.sin(np.pi / 2 * 0.001) ** 4
    W = torch.arange(1.0, 49.0).reshape(1, 6, 8)
    from cpl.pruning import top_k
    assert int((top_k(W, k, guard=0.0) == 0).sum()) == 1
    assert int((top_k(W, k) == 0).sum()) == 0


@pytest.mark.parametrize("bad", [{"first_trial": 1}, {"bias": True}, {"shared_mask": True},
                                 {"weights_init": "ones"}, {"draws": "global"}])
def test_legacy_refuses_what_the_published_code_never_did(bad):
    config = TrainConfig(task="none", trials=1, draws=bad.pop("draws", "legacy"), **bad)
    with pytest.raises(ValueError):
        train(config)
