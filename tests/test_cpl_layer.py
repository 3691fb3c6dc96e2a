"""The complete perceptron layer and its initialisations."""
import pytest

torch = pytest.importorskip("torch")

from cpl import CompletePerceptronLayer  # noqa: E402
from cpl.init import initialise  # noqa: E402


def unrolled_rnn(W, v, x, iterations, bias=None):
    """Equation 2 of the paper, one trial at a time: s_{t+1} = sigmoid(s_t W_s^T + x W_x^T (+ b))."""
    n = W.shape[0]
    W_s, W_x = W[:, :n], W[:, n:]
    s = v.expand(x.shape[0], n)
    for _ in range(iterations):
        pre = s @ W_s.T + x @ W_x.T
        s = torch.sigmoid(pre if bias is None else pre + bias)
    return s


@pytest.mark.parametrize("bias", [False, True])
@pytest.mark.parametrize("iterations", [1, 2, 5])
def test_layer_equals_unrolled_weight_tied_rnn(bias, iterations):
    o, h, i, trials = 2, 4, 3, 3
    layer = CompletePerceptronLayer(o, h, i, trials=trials, iterations=iterations, bias=bias, seed=7)
    x = torch.rand(trials, 5, i)
    out = layer(x)
    assert out.shape == (trials, 5, o)
    for j in range(trials):
        b = layer.bias[j] if bias else None
        expected = unrolled_rnn(layer.weight[j], layer.values[j], x[j], iterations, b)[:, :o]
        torch.testing.assert_close(out[j], expected, rtol=1e-5, atol=1e-6)


def test_layer_equals_concatenated_update_of_equation_1():
    layer = CompletePerceptronLayer(1, 5, 2, trials=2, iterations=3, seed=1)
    x = torch.rand(4, 2)                                    # shared by both trials
    out = layer(x)
    for j in range(2):
        s = layer.values[j].expand(4, 6)
        for _ in range(3):
            s = torch.sigmoid(torch.cat([s, x], 1) @ layer.weight[j].T)
        torch.testing.assert_close(out[j], s[:, :1], rtol=1e-5, atol=1e-6)


def test_iterations_override_and_gradients_reach_weights_and_values():
    layer = CompletePerceptronLayer(1, 3, 2, trials=1, iterations=3, seed=0)
    x = torch.rand(4, 2)
    assert not torch.allclose(layer(x, iterations=1), layer(x))
    layer(x).sum().backward()
    assert layer.weight.grad.abs().sum() > 0 and layer.values.grad.abs().sum() > 0


def test_trial_parameters_do_not_depend_on_how_many_trials_are_built():
    many = CompletePerceptronLayer(1, 5, 2, trials=4, seed=3)
    one = CompletePerceptronLayer(1, 5, 2, trials=1, seed=3, first_trial=2)
    torch.testing.assert_close(many.weight[2], one.weight[0], rtol=0, atol=0)
    torch.testing.assert_close(many.values[2], one.values[0], rtol=0, atol=0)
    assert not torch.equal(many.weight[0], many.weight[1])


def test_initialisations():
    gens = [torch.Generator().manual_seed(s) for s in range(3)]
    u = initialise("uniform", (50, 60), gens)
    assert u.shape == (3, 50, 60) and u.min() >= 0 and u.max() < 1 and u.dtype == torch.float32
    n = initialise("normal", (100, 100), gens)
    assert abs(n.mean()) < 0.02 and abs(n.std() - 1) < 0.02
    assert torch.equal(initialise("zeros", (4,), gens), torch.zeros(3, 4))
    assert torch.equal(initialise("ones", (2, 3), gens), torch.ones(3, 2, 3))
    t = initialise("upper-triangular", (6, 8), gens)
    upper = torch.ones(6, 8).triu().bool()
    assert (t[:, ~upper] == 0).all() and (t[:, upper] != 0).all()
    layer = CompletePerceptronLayer(1, 5, 2, weights_init="uniform", values_init="zeros", seed=0)
    assert layer.weight.min() >= 0 and torch.equal(layer.values, torch.zeros(1, 6))


def test_bad_arguments():
    with pytest.raises(ValueError, match="unknown initialisation"):
        CompletePerceptronLayer(1, 2, 2, weights_init="glorot")
    with pytest.raises(ValueError, match="weight matrices only"):
        CompletePerceptronLayer(1, 2, 2, values_init="upper-triangular")
    with pytest.raises(ValueError, match="trials and iterations"):
        CompletePerceptronLayer(1, 2, 2, trials=0)
    layer = CompletePerceptronLayer(1, 2, 2, trials=2)
    with pytest.raises(ValueError, match="expected inputs"):
        layer(torch.rand(3, 3, 2))
