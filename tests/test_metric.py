"""The orderedness metric against an independent brute force, and on matrices whose answer is visible."""
import numpy as np
import pytest
from conftest import DISTRIBUTIONS, random_matrix
from reference import brute_orderedness

import orderedness as od

CASES = [(seed, o, h, i, kind, den)
         for seed in range(4)
         for o in (0, 1, 2)
         for h, i in ((1, 0), (3, 2), (5, 1), (6, 3), (8, 2))
         for kind, den in zip(DISTRIBUTIONS, ("square", "full") * 4)]


@pytest.mark.parametrize("seed,o,h,i,kind,den", CASES)
def test_score_matches_brute_force(seed, o, h, i, kind, den):
    rng = np.random.default_rng(hash((seed, o, h, i, kind)) % 2**32)
    W = random_matrix(rng, (o + h, o + h + i), kind)
    expected, least = brute_orderedness(W, o, i, den)
    s = od.score(W, outputs=o, inputs=i, denominator=den)
    assert s.optimal
    assert s.value == pytest.approx(expected, rel=1e-9, abs=1e-12)
    assert s.lower == s.value == pytest.approx(s.upper, rel=1e-12, abs=1e-12)
    assert s.backflow == pytest.approx(least, rel=1e-9, abs=1e-300)
    assert s.denominator == den
    assert s.permutation[:o] == list(range(o))
    assert sorted(s.permutation) == list(range(o + h))


@pytest.mark.parametrize("method", ["brute", "dp", "auto"])
def test_methods_agree_with_brute_force(method):
    rng = np.random.default_rng(7)
    for _ in range(20):
        W = rng.standard_normal((7, 9))
        expected, _ = brute_orderedness(W, 1, 2)
        assert od.score(W, 1, 2, method=method).value == pytest.approx(expected, rel=1e-12)


def test_upper_triangular_scores_one():
    W = np.triu(np.random.default_rng(0).uniform(1, 2, (6, 6)))
    assert od.score(W).value == 1.0
    assert od.score(W, outputs=2).value == 1.0


def test_permuted_upper_triangular_scores_one():
    rng = np.random.default_rng(1)
    U = np.triu(rng.uniform(1, 2, (7, 7)))
    p = rng.permutation(7)
    s = od.score(U[np.ix_(p, p)])
    assert s.value == 1.0 and s.optimal
    assert od.backflow(U[np.ix_(p, p)], s.permutation) == 0.0


def test_two_cycle_of_equal_weights():
    w = 0.7
    W = np.array([[0.0, w], [w, 0.0]])
    s = od.score(W)
    assert s.value == pytest.approx(1 - w / (2 * w))
    W3 = np.array([[0.0, w, 0.2], [w, 0.0, 0.0], [0.0, 0.0, 0.0]])
    assert od.score(W3).value == pytest.approx(1 - w / W3.sum())


def test_all_zero_square_part_scores_one():
    W = np.zeros((4, 6))
    W[:, 4:] = 1.0                      # input weights only
    for den in ("square", "full"):
        s = od.score(W, outputs=1, inputs=2, denominator=den)
        assert (s.value, s.lower, s.upper, s.backflow, s.optimal) == (1.0, 1.0, 1.0, 0.0, True)
    assert od.score(np.zeros((3, 3))).total == 0.0


def test_outputs_are_fixed_and_hidden_to_output_is_constant():
    # hidden -> output weight Q[1, 0] is paid whatever the order of the hidden neurons.
    W = np.array([[0.0, 0.0, 0.0], [5.0, 0.0, 1.0], [0.0, 0.0, 0.0]])
    s = od.score(W, outputs=1)
    assert s.backflow == 5.0 and s.permutation == [0, 1, 2]
    assert s.value == pytest.approx(1 - 5 / 6)
    assert od.score(W, outputs=0).value == 1.0


def test_full_denominator_counts_input_columns():
    W = np.array([[0.0, 1.0, 3.0], [1.0, 0.0, 3.0]])
    assert od.score(W, inputs=1).value == pytest.approx(0.5)
    assert od.score(W, inputs=1, denominator="full").value == pytest.approx(1 - 1 / 8)


def test_no_hidden_neurons():
    W = np.array([[1.0, 2.0, 0.5], [3.0, 1.0, 0.5]])
    s = od.score(W, outputs=2, inputs=1)
    assert s.value == pytest.approx(1 - 3 / 7) and s.permutation == [0, 1]


def test_score_accepts_lists_and_reports_json_keys():
    s = od.score([[0, 1], [2, 0]])
    d = s.to_dict()
    for key in ("value", "lower", "upper", "optimal", "permutation", "backflow", "total",
                "denominator", "method", "seconds"):
        assert key in d
    assert d["value"] == pytest.approx(1 - 1 / 3)
    assert s.method == "reductions"          # a 2-cycle is settled by pairwise normalisation alone
    assert od.score(np.random.default_rng(0).standard_normal((6, 6))).method == "dp"


@pytest.mark.parametrize("bad", [True, -1, 1.5, "1"])
def test_counts_must_be_whole_numbers_not_booleans(bad):
    W = np.random.default_rng(0).random((4, 5))
    with pytest.raises(od.InputError, match="outputs must be"):
        od.score(W, outputs=bad, inputs=1)
