"""A picture of an order: the matrix reordered, back-flow in a contrasting colour (:func:`plot_order`).

matplotlib is imported only when a picture is drawn (``pip install matplotlib``).
"""
from __future__ import annotations

import os

import numpy as np
from scipy.sparse import coo_matrix

from .reduce import reduce
from .validate import InputError, check_square

__all__ = ["plot_order", "check_drawable", "MAX_CELLS"]

MAX_CELLS = 600                                   # cells per side at most; larger matrices are binned
AXES = (0.09, 0.08, 0.86, 0.77)                   # left, bottom, width, height of the matrix (figure units)
FAINTEST = 0.45                                   # least intensity of a cell with back-flow
FORWARD = np.array([0.13, 0.36, 0.68])            # blue: weight that flows forwards (above the diagonal)
BACKWARD = np.array([0.86, 0.15, 0.12])           # red: back-flow (below the diagonal)
OUTLINE = "0.25"                                  # strongly connected blocks


def plot_order(A, order, path=None, *, score=None, title: str | None = None, outputs: int = 0,
               inches: float = 6.0, dpi: int = 100):
    """Draw ``|A|`` reordered by `order`: forward weight in blue above the diagonal, back-flow in red
    below it, the strongly connected blocks of the hidden part outlined, the certificate in the title.

    Colour intensity is ``log(1 + w)`` scaled to the largest entry, and any back-flow is drawn at least
    at :data:`FAINTEST` so that single weak backward arcs stay visible. When the nodes outnumber the
    pixels (or :data:`MAX_CELLS`) the matrix is binned (sums over square blocks of nodes, a block
    with any back-flow drawn red), so 5,000 nodes draw as fast as 500 and no back-flow is blended away.

    Parameters
    ----------
    A : (n, n) array_like or scipy.sparse matrix
        The square matrix that was ordered (for a layer, ``Q``: its square part).
    order : sequence of int
        A permutation of ``range(n)`` (``Score.permutation`` or ``Ordering.order``).
    path : str or path-like, optional
        Where to write the picture (format from the extension, e.g. ``.png``); None: not written.
    score : Score or Ordering, optional
        Its certificate goes in the title (orderedness or back-flow, proven or with its bounds).
    title : str, optional
        First title line (default: none).
    outputs : int
        Leading nodes that are outputs (not permuted; excluded from the outlined blocks).
    inches, dpi : float, int
        The figure is ``inches x inches`` at `dpi`: a PNG of ``inches * dpi`` pixels per side.

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    InputError
        matplotlib missing, or `order` not a permutation of the matrix's nodes.

    Examples
    --------
    >>> import numpy as np
    >>> import orderedness as od
    >>> A = np.array([[0., 2, 0], [0, 0, 3], [1, 0, 0]])
    >>> fig = plot_order(A, od.min_backflow(A).order, inches=2, dpi=50)
    >>> [int(v) for v in fig.get_size_inches() * fig.dpi]
    [100, 100]
    """
    _matplotlib()
    from matplotlib.figure import Figure
    from matplotlib.patches import Rectangle

    A = check_square(A, "A")
    n = A.shape[0]
    order = np.asarray(order, dtype=np.intp)
    if order.shape != (n,) or not np.array_equal(np.sort(order), np.arange(n)):
        raise InputError(f"order must be a permutation of the {n} nodes of the matrix")
    pos = np.empty(n, dtype=np.intp)
    pos[order] = np.arange(n)
    cells = max(1, min(MAX_CELLS, int(AXES[2] * inches * dpi)))   # at least one pixel per cell
    step = max(1, -(-n // cells))
    forward, backward = _binned(coo_matrix(abs(A)), pos, step)
    image = _colours(forward, backward)

    fig = Figure(figsize=(inches, inches), dpi=dpi)
    ax = fig.add_axes(AXES)
    extent = (-0.5, n - 0.5, n - 0.5, -0.5)
    ax.imshow(image, extent=extent, interpolation="nearest")
    for first, last in _blocks(A, pos, outputs):
        ax.add_patch(Rectangle((first - 0.5, first - 0.5), last - first + 1, last - first + 1,
                               fill=False, edgecolor=OUTLINE, linewidth=0.8))
    ax.set_xlim(extent[0], extent[1])
    ax.set_ylim(extent[2], extent[3])
    ax.tick_params(labelsize=7)
    binned = "" if step == 1 else f", bins of {step}"
    ax.set_xlabel(f"to (column, in the order{binned})", fontsize=8)
    ax.set_ylabel(f"from (row, in the order{binned})", fontsize=8)
    lines = [title] if title else []
    if score is not None:
        lines.append(_certificate(score))
    lines.append(f"n = {n}: forward in blue, back-flow in red, strongly connected blocks outlined")
    fig.suptitle("\n".join(lines), fontsize=8, y=0.985)
    if path is not None:
        fig.savefig(path, dpi=dpi)
    return fig


def check_drawable(path) -> None:
    """Raise :class:`InputError` unless a picture can be written to `path` (matplotlib installed, a
    known image format, an existing writable folder): checked before a long solve, not after it.

    Examples
    --------
    >>> check_drawable("order.png")
    >>> check_drawable("order.xyz")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    orderedness.validate.InputError: cannot draw to 'order.xyz': unknown image format 'xyz'; use one of ...
    """
    _matplotlib()
    from matplotlib.backend_bases import FigureCanvasBase

    path = os.fspath(path)
    kinds = FigureCanvasBase.get_supported_filetypes()
    kind = os.path.splitext(path)[1].lstrip(".").lower()
    if kind not in kinds:
        raise InputError(f"cannot draw to {path!r}: unknown image format {kind!r}; use one of "
                         f"{', '.join(sorted(kinds))}")
    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder) or not os.access(folder, os.W_OK):
        raise InputError(f"cannot draw to {path!r}: {folder} is not a writable folder; create it or "
                         "choose another path")


def _matplotlib() -> None:
    try:
        import matplotlib  # noqa: F401
    except ImportError as exc:
        raise InputError("drawing the order needs matplotlib: pip install matplotlib") from exc


def _binned(M, pos: np.ndarray, step: int) -> tuple[np.ndarray, np.ndarray]:
    """Forward and backward weight of the entries of `M` (COO) at positions `pos`, summed over
    ``step x step`` blocks of the order; O(n + m) whatever the size, sparse or dense."""
    cells = -(-len(pos) // step)
    r, c = pos[M.row], pos[M.col]
    forward, backward = np.zeros((cells, cells)), np.zeros((cells, cells))
    up, down = r < c, r > c
    np.add.at(forward, (r[up] // step, c[up] // step), M.data[up])
    np.add.at(backward, (r[down] // step, c[down] // step), M.data[down])
    return forward, backward


def _colours(forward: np.ndarray, backward: np.ndarray) -> np.ndarray:
    """RGB image: white for nothing, blue for forward weight, red where any weight flows back."""
    top = np.log1p(max(float(forward.max(initial=0.0)), float(backward.max(initial=0.0)), 1e-300))
    f = np.log1p(forward) / top
    b = np.where(backward > 0, np.maximum(np.log1p(backward) / top, FAINTEST), 0.0)
    rgb = 1.0 - f[..., None] * (1.0 - FORWARD)
    red = 1.0 - b[..., None] * (1.0 - BACKWARD)
    return np.clip(np.where((backward > 0)[..., None], red, rgb), 0.0, 1.0)


def _blocks(A, pos: np.ndarray, outputs: int) -> list:
    """(first, last) positions spanned by each strongly connected component of more than one hidden
    node, after pairwise normalisation (the parts the solvers order independently)."""
    spans = []
    for comp in reduce(A[outputs:, outputs:]).components:
        if len(comp) > 1:
            at = pos[outputs + comp]
            spans.append((int(at.min()), int(at.max())))
    return spans


def _certificate(result) -> str:
    """One line: the value and its proof, for a Score (orderedness) or an Ordering (back-flow)."""
    if hasattr(result, "value"):
        if result.optimal:
            return f"orderedness {result.value:.6g}, proven optimal ({result.method})"
        return (f"orderedness {result.value:.6g}, true value in [{result.value:.6g}, {result.upper:.6g}] "
                f"({result.method})")
    if result.optimal:
        return f"back-flow {result.backflow:.6g}, proven optimal ({result.method})"
    return f"back-flow {result.backflow:.6g}, proven >= {result.lower_bound:.6g} ({result.method})"
