"""Pruning schedules: tensor functions, pruners (W, t) and torch.nn.utils.prune methods."""
import math

import pytest

torch = pytest.importorskip("torch")

from torch import nn  # noqa: E402
from torch.nn.utils import prune  # noqa: E402

from cpl.pruning import (DynamicTopK, DynamicTrilDamp, NoPrune, RandomPrune, TopK, TrilDamp,  # noqa: E402
                         make_pruner, top_k, tril_damp)
from cpl.prune_methods import (DynamicTopKPruning, DynamicTrilDampPruning, RandomPruning,  # noqa: E402
                               TopKPruning, TrilDampPruning)

ALMOST_ONE = 1 - 1e-9


@pytest.fixture
def W():
    return torch.randn(3, 6, 8, generator=torch.Generator().manual_seed(0))


def nonzero_per_trial(W):
    return (W != 0).flatten(1).sum(1).tolist()


def test_top_k_keeps_the_largest_magnitudes_of_each_matrix(W):
    pruned = top_k(W, 0.5)
    assert nonzero_per_trial(pruned) == [24, 24, 24]
    for j in range(3):
        kept, dropped = W[j][pruned[j] != 0].abs(), W[j][pruned[j] == 0].abs()
        assert kept.min() > dropped.max()
        assert torch.equal(pruned[j][pruned[j] != 0], W[j][pruned[j] != 0])
    assert nonzero_per_trial(top_k(W, 1.0)) == [48] * 3 and nonzero_per_trial(top_k(W, 0.0)) == [0] * 3


@pytest.mark.parametrize("t, k_t, kept", [(0.0, 1.0, 48), (0.5, 0.875, 42), (ALMOST_ONE, 0.5, 24)])
def test_dynamic_top_k_schedule(W, t, k_t, kept):
    pruner = DynamicTopK(0.5)
    assert pruner.schedule(t) == pytest.approx(k_t)
    assert nonzero_per_trial(pruner(W, t)) == [kept] * 3
    assert nonzero_per_trial(TopK(0.5)(W, t)) == [24] * 3        # static: the same at every t


@pytest.mark.parametrize("t, f_t", [(0.0, 0.0), (0.5, 0.2), (ALMOST_ONE, 0.8)])
def test_tril_damp_schedules(W, t, f_t):
    lower = torch.ones(6, 8).tril(-1).bool()
    for pruner, f in ((TrilDamp(0.8), 0.8), (DynamicTrilDamp(0.8), f_t)):
        assert pruner.schedule(t) == pytest.approx(f)
        damped = pruner(W, t)
        torch.testing.assert_close(damped[:, lower], (1 - f) * W[:, lower])
        assert torch.equal(damped[:, ~lower], W[:, ~lower])      # diagonal, upper part and inputs untouched


def test_random_prune_draws_its_mask_once_per_trial():
    W = torch.randn(2, 100, 120)
    gens = [torch.Generator().manual_seed(s) for s in (1, 2)]
    pruner = RandomPrune(0.3, gens)
    first = pruner(W, 0.0)
    sparsity = (first == 0).flatten(1).float().mean(1)
    assert torch.allclose(sparsity, torch.tensor([0.3, 0.3]), atol=0.02)
    assert torch.equal(pruner(W, 0.9) == 0, first == 0)                # same mask later
    assert not torch.equal(first[0] == 0, first[1] == 0)              # each trial its own mask
    alone = RandomPrune(0.3, [torch.Generator().manual_seed(2)])(W[1:], 0.0)
    assert torch.equal(alone[0], first[1])                            # independent of the batch
    with pytest.raises(ValueError, match="generators"):
        RandomPrune(0.3, gens)(torch.randn(3, 4, 4), 0.0)


def test_no_prune_and_factory(W):
    assert NoPrune()(W, 0.5) is W
    assert isinstance(make_pruner("dynamic-tril-damp", 0.8), DynamicTrilDamp)
    for bad in (lambda: make_pruner("magnitude"), lambda: TopK(1.5), lambda: tril_damp(W, -0.1),
                lambda: RandomPrune(2), lambda: tril_damp(torch.ones(3), 0.5)):
        with pytest.raises(ValueError):
            bad()


def test_nn_prune_top_k_on_linear():
    torch.manual_seed(0)
    layer = nn.Linear(10, 6)
    TopKPruning.apply(layer, "weight", k=0.5)
    assert int((layer.weight != 0).sum()) == 30
    assert hasattr(layer, "weight_orig") and hasattr(layer, "weight_mask")
    x = torch.randn(4, 10)
    torch.testing.assert_close(layer(x), x @ (layer.weight_orig * layer.weight_mask).T + layer.bias)
    TopKPruning.apply(layer, "weight", k=0.5)                  # a fraction of the whole tensor: no change
    assert int((layer.weight != 0).sum()) == 30
    TopKPruning.apply(layer, "weight", k=0.25)
    kept = layer.weight != 0
    assert int(kept.sum()) == 15
    assert layer.weight_orig[kept].abs().min() > layer.weight_orig[~kept].abs().max()


def test_nn_prune_dynamic_schedules_on_linear():
    layer = nn.Linear(8, 8)
    DynamicTopKPruning.apply(layer, "weight", k=0.5, progress=0.0)
    assert int((layer.weight != 0).sum()) == 64
    DynamicTopKPruning.apply(layer, "weight", k=0.5, progress=0.5)
    assert int((layer.weight != 0).sum()) == math.floor(0.875 * 64)
    other = nn.Linear(8, 8)
    DynamicTrilDampPruning.apply(other, "weight", f=0.8, progress=0.5)
    lower = torch.ones(8, 8).tril(-1).bool()
    torch.testing.assert_close(other.weight[lower], 0.8 * other.weight_orig[lower])
    torch.testing.assert_close(other.weight[~lower], other.weight_orig[~lower])


def test_nn_prune_tril_damp_and_random_on_linear():
    layer = nn.Linear(5, 5)
    lower = torch.ones(5, 5).tril(-1).bool()
    TrilDampPruning.apply(layer, "weight", f=0.8)
    TrilDampPruning.apply(layer, "weight", f=0.8)              # damping compounds
    torch.testing.assert_close(layer.weight[lower], 0.04 * layer.weight_orig[lower])
    prune.remove(layer, "weight")
    assert isinstance(layer.weight, nn.Parameter) and not hasattr(layer, "weight_mask")
    with pytest.raises(ValueError, match="matrix"):
        TrilDampPruning.apply(layer, "bias", f=0.5)
    big = nn.Linear(200, 100)
    RandomPruning.apply(big, "weight", p=0.4, generator=torch.Generator().manual_seed(0))
    assert float((big.weight == 0).float().mean()) == pytest.approx(0.4, abs=0.02)
