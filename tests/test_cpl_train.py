"""The training loop: batched trials are independent trials, orderedness is od.score."""
import numpy as np
import pytest

torch = pytest.importorskip("torch")

import orderedness as od  # noqa: E402
from cpl import CompletePerceptronLayer, TrainConfig, get_task, train  # noqa: E402


@pytest.fixture(scope="module")
def sine_pair():
    """Two sine trials (shuffled batches, random pruning) trained together and one at a time."""
    config = TrainConfig(task="sine", trials=2, seed=11, pruner="random", amount=0.5, track_every=200)
    together = train(config)
    alone = [train(TrainConfig(task="sine", trials=1, first_trial=j, seed=11, pruner="random", amount=0.5))
             for j in range(2)]
    return together, alone


def test_batched_training_equals_separate_training(sine_pair):
    together, alone = sine_pair
    assert together.losses.shape == (600, 2)
    for j in range(2):
        np.testing.assert_allclose(together.weight[j], alone[j].weight[0], rtol=1e-5, atol=1e-6)
        np.testing.assert_allclose(together.losses[:, j], alone[j].losses[:, 0], rtol=1e-5, atol=1e-7)
        np.testing.assert_allclose(together.end[j], alone[j].end[0], atol=1e-6)
    assert not np.allclose(together.weight[0], together.weight[1])


def test_batched_dynamic_top_k_on_xor_equals_separate_training():
    config = TrainConfig(task="xor", trials=2, seed=4, pruner="dynamic-topk", amount=0.5)
    together = train(config)
    for j in range(2):
        alone = train(TrainConfig(task="xor", trials=1, first_trial=j, seed=4, pruner="dynamic-topk", amount=0.5))
        np.testing.assert_allclose(together.weight[j], alone.weight[0], rtol=1e-5, atol=1e-6)
    assert (together.weight != 0).sum(axis=(1, 2)).tolist() == [24, 24]     # floor(k(0.999) * 48)


def test_recorded_orderedness_is_od_score(sine_pair):
    together, _ = sine_pair
    o, i = 1, 2
    for j in range(2):
        assert together.end[j] == od.score(together.weight[j], outputs=o, inputs=i).value
    initial = CompletePerceptronLayer(1, 8, 2, trials=2, seed=11).weight.detach().double().numpy()
    for j in range(2):
        assert together.start[j] == od.score(initial[j], outputs=o, inputs=i).value
    assert [step for step, _ in together.history] == [0, 200, 400, 600]
    np.testing.assert_array_equal(together.history[-1][1], together.end)
    np.testing.assert_array_equal(together.delta, together.end - together.start)


def test_training_learns_xor():
    result = train(TrainConfig(task="xor", trials=3, seed=0))
    assert result.losses.shape == (1000, 3)
    assert (result.losses[-10:].mean(0) < 0.1 * result.losses[:10].mean(0)).all()


def test_none_task_only_prunes():
    unpruned = train(TrainConfig(task="none", trials=3, seed=2))
    np.testing.assert_array_equal(unpruned.delta, 0.0)
    assert unpruned.losses.size == 0
    damped = train(TrainConfig(task="none", trials=3, seed=2, pruner="tril-damp", amount=0.8))
    lower = np.tril(np.ones((6, 8), bool), -1)
    np.testing.assert_allclose(damped.weight[:, lower], 0.2 ** 10 * unpruned.weight[:, lower], rtol=1e-4)
    np.testing.assert_array_equal(damped.weight[:, ~lower], unpruned.weight[:, ~lower])
    assert (damped.end > 0.999).all() and (damped.delta > 0).all()


def test_shared_mask_is_one_mask_for_all_trials_and_tasks():
    none = train(TrainConfig(task="none", trials=3, seed=5, pruner="random", shared_mask=True))
    xor = train(TrainConfig(task="xor", trials=2, seed=5, pruner="random", shared_mask=True))
    zeros = none.weight == 0
    assert (zeros == zeros[0]).all() and zeros[0].any()
    assert ((xor.weight == 0) >= zeros[0]).all()       # every masked weight stays zero after training


def test_tasks_match_the_published_settings():
    xor, sine, none = get_task("xor"), get_task("sine"), get_task("none")
    assert (xor.hidden, xor.iterations, xor.batch_size, xor.steps) == (5, 3, 4, 1000)
    assert xor.y.flatten().tolist() == [0, 1, 1, 0]
    assert (sine.hidden, sine.iterations, sine.batch_size, sine.epochs, sine.steps) == (8, 3, 10, 40, 600)
    assert sine.x.shape == (150, 2) and sine.x[1].tolist() == pytest.approx([0.02, 0.03])
    torch.testing.assert_close(sine.y[:, 0], (torch.sin(sine.x[:, 0]) + torch.sin(sine.x[:, 1])) / 2)
    assert (none.hidden, none.iterations, none.steps, none.trains) == (5, 1, 10, False)
    assert get_task("sine", hidden=16, iterations=2).hidden == 16
    with pytest.raises(ValueError, match="unknown task"):
        get_task("mnist")
