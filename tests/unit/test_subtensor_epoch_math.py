"""epoch/math.py against subtensor's own math tests (pallets/subtensor/src/tests/math.rs, spec 381),
one Python test per Rust test of a function the epoch uses, same inputs, targets and tolerances.
The Rust tests build inputs from f32 / f64 literals (`I32F32::from_num`); `f32()` / `f64()` do
the same conversion here (exact value of the float, rounded to the nearest I32F32)."""

from __future__ import annotations

import random
import struct

from pysubtensor.pallets.subtensor.epoch.math import (
    col_clip_sparse,
    exp_safe,
    fixed64_to_fixed32,
    fixed64_to_u64,
    fixed_proportion_to_u16,
    fixed_to_u16,
    inplace_col_clip,
    inplace_col_max_upscale,
    inplace_col_max_upscale_sparse,
    inplace_col_normalize,
    inplace_col_normalize_sparse,
    inplace_mask_vector,
    inplace_normalize,
    inplace_normalize_64,
    inplace_row_normalize,
    inplace_row_normalize_sparse,
    interpolate_sparse,
    mask_diag_sparse,
    mask_diag_sparse_except_index,
    mask_rows_sparse,
    mat_ema_alpha,
    mat_ema_alpha_sparse,
    mat_vec_mul,
    mat_vec_mul_sparse,
    matmul,
    matmul_sparse,
    matmul_transpose,
    matmul_transpose_sparse,
    row_hadamard,
    row_hadamard_sparse,
    row_sum,
    row_sum_sparse,
    u16_proportion_to_fixed,
    u16_to_fixed,
    vec_fixed64_to_fixed32,
    vec_mask_sparse_matrix,
    vec_mul,
    weighted_median,
    weighted_median_col,
    weighted_median_col_sparse,
)
from pysubtensor.primitives.fixed import I32F32, I64F64, exp

F = I32F32
ONE = F.one


def f64(x: float) -> int:
    """`I32F32::from_num(f64 literal)`."""
    return F.from_f64(x)


def f32(x: float) -> int:
    """`I32F32::from_num(f32)` / the tests' `fixed(f32)`."""
    return F.saturating_from_f64(struct.unpack("f", struct.pack("f", x))[0])


def vec_to_fixed(v: list[float]) -> list[int]:
    return [f32(x) for x in v]


def vec_to_mat_fixed(v: list[float], rows: int, transpose: bool) -> list[list[int]]:
    cols = len(v) // rows
    if transpose:
        return [[f32(v[r * cols + c]) for r in range(rows)] for c in range(cols)]
    return [[f32(x) for x in v[r * cols:(r + 1) * cols]] for r in range(rows)]


def vec_to_sparse_mat_fixed(v: list[float], rows: int, transpose: bool) -> list[list[tuple[int, int]]]:
    cols = len(v) // rows
    if transpose:
        return [[(r, f32(v[r * cols + c])) for r in range(rows) if v[r * cols + c] > 0] for c in range(cols)]
    return [[(c, f32(v[r * cols + c])) for c in range(cols) if v[r * cols + c] > 0] for r in range(rows)]


def assert_vec_compare(va: list[int], vb: list[int], epsilon: int) -> None:
    assert len(va) == len(vb)
    for a, b in zip(va, vb, strict=True):
        assert abs(a - b) <= epsilon, (a, b)


def assert_mat_compare(ma: list[list[int]], mb: list[list[int]], epsilon: int) -> None:
    assert len(ma) == len(mb)
    for ra, rb in zip(ma, mb, strict=True):
        assert_vec_compare(ra, rb, epsilon)


def assert_sparse_mat_compare(ma, mb, epsilon: int) -> None:
    assert len(ma) == len(mb)
    for ra, rb in zip(ma, mb, strict=True):
        assert len(ra) == len(rb), (ra, rb)
        for (ja, a), (jb, b) in zip(ra, rb, strict=True):
            assert ja == jb
            assert abs(a - b) <= epsilon, (a, b)


def test_math_exp_safe():
    zero, one = 0, ONE
    assert exp_safe(zero) == exp(F, zero)
    assert exp_safe(one) == exp(F, one)
    min_input, max_input = F.from_num(-20), F.from_num(20)
    target = exp(F, min_input)
    assert exp_safe(min_input) == target
    assert exp_safe(min_input - one) == target
    assert exp_safe(F.min_bits) == target
    target = exp(F, max_input)
    assert exp_safe(max_input) == target
    assert exp_safe(max_input + one) == target
    assert exp_safe(F.max_bits) == target


def test_exp_values():
    """`substrate_fixed::transcendental::exp` on I32F32 is the Taylor polynomial up to x^31/31!
    (its loop runs i = 2..frac_bits-1), each step floored: within 1e-6 of that polynomial computed
    exactly (so exp(20) is ~0.8 % below e^20, as on chain); e from the crate's 23-bit constant;
    negative inputs through the reciprocal; overflow is None."""
    from fractions import Fraction
    from math import factorial

    def partial(x: int) -> Fraction:
        return sum((Fraction(abs(x) ** k, factorial(k)) for k in range(32)), Fraction(0))

    assert exp(F, ONE) == 22802600 << 9  # I9F23 e widened
    for x in (-5, -1, 2, 5, 10, 20):
        got = Fraction(exp(F, F.from_num(x)), 1 << 32)
        expected = partial(x) if x > 0 else 1 / partial(x)
        assert abs(got / expected - 1) < Fraction(1, 10**6)
    assert exp(F, F.from_num(23)) is None  # the series overflows I32F32


def test_math_inplace_normalize():
    epsilon = f64(0.0001)
    x1 = [f64(1.0), f64(10.0), f64(30.0)]
    inplace_normalize(x1)
    assert_vec_compare(x1, [f64(0.0243902437), f64(0.243902439), f64(0.7317073171)], epsilon)
    x2 = [f64(-1.0), f64(10.0), f64(30.0)]
    inplace_normalize(x2)
    assert_vec_compare(x2, [f64(-0.0256410255), f64(0.2564102563), f64(0.769230769)], epsilon)


def test_math_inplace_normalize_64():
    epsilon = I64F64.from_f64(0.0001)
    x1 = [I64F64.from_f64(v) for v in (1.0, 10.0, 30.0)]
    inplace_normalize_64(x1)
    for a, b in zip(x1, (0.0243902437, 0.243902439, 0.7317073171), strict=True):
        assert abs(a - I64F64.from_f64(b)) <= epsilon
    x2 = [I64F64.from_f64(v) for v in (-1.0, 10.0, 30.0)]
    inplace_normalize_64(x2)
    for a, b in zip(x2, (-0.0256410255, 0.2564102563, 0.769230769), strict=True):
        assert abs(a - I64F64.from_f64(b)) <= epsilon


def test_math_inplace_row_normalize():
    vector = [0., 1., 2., 3., 4., 0., 10., 100., 1000., 10000., 0., 0., 0., 0., 0., 1., 1., 1., 1., 1.]
    mat = vec_to_mat_fixed(vector, 4, False)
    inplace_row_normalize(mat)
    target = [0., 0.1, 0.2, 0.3, 0.4, 0., 0.0009, 0.009, 0.09, 0.9, 0., 0., 0., 0., 0., 0.2, 0.2, 0.2, 0.2, 0.2]
    assert_mat_compare(mat, vec_to_mat_fixed(target, 4, False), f64(0.0001))


SPARSE_42 = [0., 1., 0., 2., 0., 3., 4., 0., 1., 0., 2., 0., 3., 0., 1., 0., 0., 2., 0., 3., 4., 0.,
             10., 0., 100., 1000., 0., 10000., 0., 0., 0., 0., 0., 0., 0., 1., 1., 1., 1., 1., 1., 1.]
SPARSE_42_NORM = [0., 0.1, 0., 0.2, 0., 0.3, 0.4, 0., 0.166666, 0., 0.333333, 0., 0.5, 0., 0.1, 0., 0., 0.2,
                  0., 0.3, 0.4, 0., 0.0009, 0., 0.009, 0.09, 0., 0.9, 0., 0., 0., 0., 0., 0., 0., 0.142857,
                  0.142857, 0.142857, 0.142857, 0.142857, 0.142857, 0.142857]


def test_math_inplace_row_normalize_sparse():
    mat = vec_to_sparse_mat_fixed(SPARSE_42, 6, False)
    inplace_row_normalize_sparse(mat)
    assert_sparse_mat_compare(mat, vec_to_sparse_mat_fixed(SPARSE_42_NORM, 6, False), f64(0.0001))
    mat = vec_to_sparse_mat_fixed([0.] * 12, 3, False)
    inplace_row_normalize_sparse(mat)
    assert_sparse_mat_compare(mat, vec_to_sparse_mat_fixed([0.] * 12, 3, False), 0)


def test_math_inplace_col_normalize():
    vector = [0., 1., 2., 3., 4., 0., 10., 100., 1000., 10000., 0., 0., 0., 0., 0., 1., 1., 1., 1., 1.]
    mat = vec_to_mat_fixed(vector, 4, True)
    inplace_col_normalize(mat)
    target = [0., 0.1, 0.2, 0.3, 0.4, 0., 0.0009, 0.009, 0.09, 0.9, 0., 0., 0., 0., 0., 0.2, 0.2, 0.2, 0.2, 0.2]
    assert_mat_compare(mat, vec_to_mat_fixed(target, 4, True), f64(0.0001))


def test_math_inplace_col_normalize_sparse():
    mat = vec_to_sparse_mat_fixed(SPARSE_42, 6, True)
    inplace_col_normalize_sparse(mat, 6)
    assert_sparse_mat_compare(mat, vec_to_sparse_mat_fixed(SPARSE_42_NORM, 6, True), f64(0.0001))
    mat = vec_to_sparse_mat_fixed([0.] * 12, 3, False)
    inplace_col_normalize_sparse(mat, 6)
    assert_sparse_mat_compare(mat, vec_to_sparse_mat_fixed([0.] * 12, 3, False), 0)
    mat = []
    inplace_col_normalize_sparse(mat, 0)
    assert mat == []


def test_math_inplace_col_max_upscale():
    mat = [[]]
    inplace_col_max_upscale(mat)
    assert mat == [[]]
    mat = [[0]]
    inplace_col_max_upscale(mat)
    assert mat == [[0]]
    vector = [0., 1., 2., 3., 4., 0., 10., 100., 1000., 10000., 0., 0., 0., 0., 0., 1., 1., 1., 1., 1.]
    mat = vec_to_mat_fixed(vector, 4, True)
    inplace_col_max_upscale(mat)
    target = [0., 0.25, 0.5, 0.75, 1., 0., 0.001, 0.01, 0.1, 1., 0., 0., 0., 0., 0., 1., 1., 1., 1., 1.]
    assert_mat_compare(mat, vec_to_mat_fixed(target, 4, True), f64(0.0001))


def test_math_inplace_col_max_upscale_sparse():
    mat = [[]]
    inplace_col_max_upscale_sparse(mat, 0)
    assert mat == [[]]
    mat = [[(0, 0)]]
    inplace_col_max_upscale_sparse(mat, 1)
    assert mat == [[(0, 0)]]
    mat = vec_to_sparse_mat_fixed(SPARSE_42, 6, True)
    inplace_col_max_upscale_sparse(mat, 6)
    target = [0., 0.25, 0., 0.5, 0., 0.75, 1., 0., 0.333333, 0., 0.666666, 0., 1., 0., 0.25, 0., 0., 0.5,
              0., 0.75, 1., 0., 0.001, 0., 0.01, 0.1, 0., 1., 0., 0., 0., 0., 0., 0., 0., 1., 1., 1., 1.,
              1., 1., 1.]
    assert_sparse_mat_compare(mat, vec_to_sparse_mat_fixed(target, 6, True), f64(0.0001))
    mat = vec_to_sparse_mat_fixed([0.] * 12, 3, False)
    inplace_col_max_upscale_sparse(mat, 6)
    assert_sparse_mat_compare(mat, vec_to_sparse_mat_fixed([0.] * 12, 3, False), 0)


def test_math_inplace_mask_vector():
    for mask, target in (([False, False, False], [0., 1., 2.]), ([False, True, False], [0., 0., 2.]),
                         ([True, True, True], [0., 0., 0.])):
        vector = vec_to_fixed([0., 1., 2.])
        inplace_mask_vector(mask, vector)
        assert_vec_compare(vector, vec_to_fixed(target), 0)


def test_math_mask_rows_sparse():
    mat = vec_to_sparse_mat_fixed([1., 2., 3., 4., 5., 6., 7., 8., 9.], 3, False)
    for mask, target in (([False, False, False], [1., 2., 3., 4., 5., 6., 7., 8., 9.]),
                         ([True, True, True], [0.] * 9),
                         ([True, False, True], [0., 0., 0., 4., 5., 6., 0., 0., 0.])):
        assert_sparse_mat_compare(mask_rows_sparse(mask, mat), vec_to_sparse_mat_fixed(target, 3, False), 0)
    mat = vec_to_sparse_mat_fixed([0.] * 9, 3, False)
    assert_sparse_mat_compare(mask_rows_sparse([False] * 3, mat), vec_to_sparse_mat_fixed([0.] * 9, 3, False), 0)


def test_math_mask_diag_sparse():
    for vector, target in (([1., 2., 3., 4., 5., 6., 7., 8., 9.], [0., 2., 3., 4., 0., 6., 7., 8., 0.]),
                           ([1., 0., 0., 0., 5., 0., 0., 0., 9.], [0.] * 9), ([0.] * 9, [0.] * 9)):
        result = mask_diag_sparse(vec_to_sparse_mat_fixed(vector, 3, False))
        assert_sparse_mat_compare(result, vec_to_sparse_mat_fixed(target, 3, False), 0)


def test_math_mask_diag_sparse_except_index():
    rows = 3
    for vector, base in (([1., 2., 3., 4., 5., 6., 7., 8., 9.], [0., 2., 3., 4., 0., 6., 7., 8., 0.]),
                         ([1., 0., 0., 0., 5., 0., 0., 0., 9.], [0.] * 9), ([0.] * 9, [0.] * 9)):
        mat = vec_to_sparse_mat_fixed(vector, rows, False)
        for i in range(rows):
            target = list(base)
            target[i * rows + i] = vector[i * rows + i]
            result = mask_diag_sparse_except_index(mat, i)
            assert_sparse_mat_compare(result, vec_to_sparse_mat_fixed(target, rows, False), 0)


def test_math_vec_mask_sparse_matrix():
    vector = [1., 2., 3., 4., 5., 6., 7., 8., 9.]
    mat = vec_to_sparse_mat_fixed(vector, 3, False)
    result = vec_mask_sparse_matrix(mat, [1, 2, 3], [1, 2, 3], lambda a, b: a == b)
    assert_sparse_mat_compare(result, vec_to_sparse_mat_fixed([0., 2., 3., 4., 0., 6., 7., 8., 0.], 3, False), 0)
    result = vec_mask_sparse_matrix(mat, [1, 2, 3], [1, 2, 3], lambda a, b: a < b)
    assert_sparse_mat_compare(result, vec_to_sparse_mat_fixed([1., 0., 0., 4., 5., 0., 7., 8., 9.], 3, False), 0)
    mat = vec_to_sparse_mat_fixed([0.] * 9, 3, False)
    result = vec_mask_sparse_matrix(mat, [1, 2, 3], [1, 2, 3], lambda a, b: a == b)
    assert_sparse_mat_compare(result, vec_to_sparse_mat_fixed([0.] * 9, 3, False), 0)


def test_math_vec_mul():
    vector = vec_to_fixed([1., 2., 3., 4.])
    assert_vec_compare(vec_mul(vector, vector), vec_to_fixed([1., 4., 9., 16.]), 0)
    assert vec_mul([], vector) == []
    assert_vec_compare(vec_mul(vec_to_fixed([0.] * 8), vector), [0] * 4, 0)


M12 = [1., 2., 3., 4., 5., 6., 7., 8., 9., 10., 11., 12.]


def test_math_mat_vec_mul():
    matrix = vec_to_mat_fixed(M12, 4, False)
    target = vec_to_mat_fixed([1., 4., 9., 4., 10., 18., 7., 16., 27., 10., 22., 36.], 4, False)
    assert_mat_compare(mat_vec_mul(matrix, vec_to_fixed([1., 2., 3.])), target, 0)
    target = vec_to_mat_fixed([1., 0., 0., 4., 0., 0., 7., 0., 0., 10., 0., 0.], 4, False)
    assert_mat_compare(mat_vec_mul(matrix, vec_to_fixed([1., 0., 0.])), target, 0)
    assert_mat_compare(mat_vec_mul(matrix, []), [[]] * 4, 0)


def test_math_mat_vec_mul_sparse():
    matrix = vec_to_sparse_mat_fixed(M12, 4, False)
    target = vec_to_sparse_mat_fixed([1., 4., 9., 4., 10., 18., 7., 16., 27., 10., 22., 36.], 4, False)
    assert_sparse_mat_compare(mat_vec_mul_sparse(matrix, vec_to_fixed([1., 2., 3.])), target, 0)
    target = vec_to_sparse_mat_fixed([1., 0., 0., 4., 0., 0., 7., 0., 0., 10., 0., 0.], 4, False)
    assert_sparse_mat_compare(mat_vec_mul_sparse(matrix, vec_to_fixed([1., 0., 0.])), target, 0)
    assert_sparse_mat_compare(mat_vec_mul_sparse(matrix, []), [[]] * 4, 0)


def test_math_row_hadamard():
    result = row_hadamard(vec_to_mat_fixed(M12, 4, False), vec_to_fixed([1., 2., 3., 4.]))
    target = [1., 2., 3., 8., 10., 12., 21., 24., 27., 40., 44., 48.]
    assert_mat_compare(result, vec_to_mat_fixed(target, 4, False), 0)


def test_math_row_hadamard_sparse():
    vector = vec_to_fixed([1., 2., 3., 4.])
    for matrix, target in ((M12, [1., 2., 3., 8., 10., 12., 21., 24., 27., 40., 44., 48.]),
                           ([0., 2., 3., 4., 0., 6., 7., 8., 0., 10., 11., 12.],
                            [0., 2., 3., 8., 0., 12., 21., 24., 0., 40., 44., 48.]),
                           ([0.] * 12, [0.] * 12)):
        result = row_hadamard_sparse(vec_to_sparse_mat_fixed(matrix, 4, False), vector)
        assert_sparse_mat_compare(result, vec_to_sparse_mat_fixed(target, 4, False), 0)


def test_math_row_sum():
    assert_vec_compare(row_sum(vec_to_mat_fixed(M12, 4, False)), vec_to_fixed([6., 15., 24., 33.]), 0)


def test_math_row_sum_sparse():
    for matrix, target in ((M12, [6., 15., 24., 33.]),
                           ([0., 2., 3., 4., 0., 6., 7., 8., 0., 10., 11., 12.], [5., 10., 15., 33.]),
                           ([1., 2., 3., 0., 0., 0., 7., 8., 9., 10., 11., 12.], [6., 0., 24., 33.]),
                           ([0.] * 12, [0.] * 4)):
        assert_vec_compare(row_sum_sparse(vec_to_sparse_mat_fixed(matrix, 4, False)), vec_to_fixed(target), 0)


def test_math_matmul():
    result = matmul(vec_to_mat_fixed(M12, 4, False), vec_to_fixed([1., 2., 3., 4.]))
    assert_vec_compare(result, vec_to_fixed([70., 80., 90.]), 0)


def test_math_matmul_transpose():
    result = matmul_transpose(vec_to_mat_fixed(M12, 4, False), vec_to_fixed([1., 2., 3.]))
    assert_vec_compare(result, vec_to_fixed([14., 32., 50., 68.]), 0)


def test_math_sparse_matmul():
    vector = vec_to_fixed([1., 2., 3., 4.])
    for matrix, target in ((M12, [70., 80., 90.]),
                           ([0., 2., 3., 4., 0., 6., 7., 8., 0., 10., 11., 12.], [69., 70., 63.]),
                           ([0.] * 12, [0., 0., 0.])):
        result = matmul_sparse(vec_to_sparse_mat_fixed(matrix, 4, False), vector, 3)
        assert_vec_compare(result, vec_to_fixed(target), 0)


def test_math_sparse_matmul_transpose():
    vector = vec_to_fixed([1., 2., 3.])
    for matrix, target in ((M12, [14., 32., 50., 68.]),
                           ([0., 2., 3., 4., 0., 6., 7., 8., 0., 10., 11., 12.], [13., 22., 23., 68.]),
                           ([0.] * 12, [0.] * 4)):
        result = matmul_transpose_sparse(vec_to_sparse_mat_fixed(matrix, 4, False), vector)
        assert_vec_compare(result, vec_to_fixed(target), 0)


def test_math_inplace_col_clip():
    matrix = vec_to_mat_fixed([0., 2., 3., 4., 5., 6., 7., 8., 9., 10., 11., 12.], 4, False)
    inplace_col_clip(matrix, vec_to_fixed([0., 5., 12.]))
    assert_mat_compare(matrix, vec_to_mat_fixed([0., 2., 3., 0., 5., 6., 0., 5., 9., 0., 5., 12.], 4, False), 0)


def test_math_col_clip_sparse():
    vector = vec_to_fixed([0., 5., 12.])
    for matrix, target in (([0., 2., 3., 4., 5., 6., 7., 8., 9., 10., 11., 12.],
                            [0., 2., 3., 0., 5., 6., 0., 5., 9., 0., 5., 12.]),
                           ([0., 2., 3., 4., 5., 6., 0., 0., 0., 10., 11., 12.],
                            [0., 2., 3., 0., 5., 6., 0., 0., 0., 0., 5., 12.]),
                           ([0.] * 12, [0.] * 12)):
        result = col_clip_sparse(vec_to_sparse_mat_fixed(matrix, 4, False), vector)
        assert_sparse_mat_compare(result, vec_to_sparse_mat_fixed(target, 4, False), 0)


def _median(stake: list[int], score: list[int], majority: int) -> int:
    return weighted_median(stake, score, list(range(len(stake))), ONE - majority, 0, sum(stake))


def test_math_weighted_median():
    zero, one = 0, ONE
    majority = f32(0.51)
    assert _median([], [], majority) == zero
    stake = vec_to_fixed([0.51])
    inplace_normalize(stake)
    assert _median(stake, vec_to_fixed([1.]), majority) == one
    cases = [
        ([0.49, 0.51], [0.5, 1.], 1.), ([0.51, 0.49], [0.5, 1.], 0.5), ([0.49, 0., 0.51], [0.5, 0.7, 1.], 1.),
        ([0.49, 0.01, 0.5], [0.5, 0.7, 1.], 0.7), ([0.49, 0.51, 0.0], [0.5, 0.7, 1.], 0.7),
        ([0.0, 0.49, 0.51], [0.5, 0.7, 1.], 1.), ([0.0, 0.49, 0.0, 0.51], [0.5, 0.5, 1., 1.], 1.),
        ([0.0, 0.49, 0.0, 0.51, 0.0], [0.5, 0.5, 1., 1., 0.5], 1.),
        ([0.2, 0.2, 0.2, 0.2, 0.2], [0.8, 0.2, 1., 0.6, 0.4], 0.6),
        ([0.1] * 10, [0.8, 0.8, 0.2, 0.2, 1.0, 1.0, 0.6, 0.6, 0.4, 0.4], 0.6),
    ]
    for stake, score, expected in cases:
        assert _median(vec_to_fixed(stake), vec_to_fixed(score), majority) == f32(expected)

    rng = random.Random(0)
    n = 100
    for majority in vec_to_fixed([0., 0.0000001, 0.25, 0.49, 0.49, 0.49, 0.5, 0.51, 0.51, 0.51, 0.9999999, 1.]):
        for allow_equal in (False, True):
            stake, score, last_score = [], [], zero
            for i in range(n):
                if allow_equal:
                    stake.append(one if rng.randrange(2) == 1 else zero)
                    if rng.randrange(2) == 1:
                        last_score += one
                    score.append(last_score)
                else:
                    stake.append(one)
                    score.append(F.from_num(i))
            inplace_normalize(stake)
            total_stake = sum(stake)
            minority = max(total_stake - majority, zero)
            medians: list[int] = []
            median_stake, median_set, stake_sum = zero, False, zero
            for i in range(n):
                stake_sum += stake[i]
                if not median_set and stake_sum >= minority:
                    median_stake, median_set = stake_sum, True
                if median_set:
                    if median_stake < stake_sum:
                        if median_stake == minority and score[i] not in medians:
                            medians.append(score[i])
                        break
                    if score[i] not in medians:
                        medians.append(score[i])
            if not medians:
                medians.append(zero)
            idx = list(range(n))
            assert weighted_median(stake, score, idx, minority, zero, total_stake) in medians
            for _ in range(10):
                perm = list(range(n))
                rng.shuffle(perm)
                stake = [stake[i] for i in perm]
                score = [score[i] for i in perm]
                assert weighted_median(stake, score, idx, minority, zero, total_stake) in medians


def test_math_weighted_median_col():
    assert weighted_median_col([], [[]], f32(0.5)) == []
    weights = vec_to_mat_fixed([0., 0., 0., 0.], 2, False)
    assert weighted_median_col(vec_to_fixed([0., 0.]), weights, f32(0.5)) == vec_to_fixed([0., 0.])
    stake = vec_to_fixed([0., 0.75, 0.25, 0.])
    weights = vec_to_mat_fixed([0., 0.1, 0., 0., 0.2, 0.4, 0., 0.3, 0.1, 0., 0.4, 0.5], 4, False)
    assert weighted_median_col(stake, weights, f32(0.24)) == vec_to_fixed([0., 0.3, 0.4])
    assert weighted_median_col(stake, weights, f32(0.26)) == vec_to_fixed([0., 0.2, 0.4])
    assert weighted_median_col(stake, weights, f32(0.76)) == vec_to_fixed([0., 0.2, 0.1])
    stake = vec_to_fixed([0., 0.3, 0.2, 0.5])
    weights = vec_to_mat_fixed([0., 0.1, 0., 0., 0.2, 0.4, 0., 0.3, 0.1, 0., 0., 0.5], 4, False)
    assert weighted_median_col(stake, weights, f32(0.51)) == vec_to_fixed([0., 0., 0.4])


def test_math_weighted_median_col_sparse():
    assert weighted_median_col_sparse([], [[]], 0, f32(0.5)) == []
    weights = vec_to_sparse_mat_fixed([0., 0., 0., 0.], 2, False)
    assert weighted_median_col_sparse(vec_to_fixed([0., 0.]), weights, 2, f32(0.5)) == vec_to_fixed([0., 0.])
    stake = vec_to_fixed([0., 0.75, 0.25, 0.])
    weights = vec_to_sparse_mat_fixed([0., 0.1, 0., 0., 0.2, 0.4, 0., 0.3, 0.1, 0., 0.4, 0.5], 4, False)
    assert weighted_median_col_sparse(stake, weights, 3, f32(0.24)) == vec_to_fixed([0., 0.3, 0.4])
    assert weighted_median_col_sparse(stake, weights, 3, f32(0.26)) == vec_to_fixed([0., 0.2, 0.4])
    assert weighted_median_col_sparse(stake, weights, 3, f32(0.76)) == vec_to_fixed([0., 0.2, 0.1])
    stake = vec_to_fixed([0., 0.3, 0.2, 0.5])
    weights = vec_to_sparse_mat_fixed([0., 0.1, 0., 0., 0.2, 0.4, 0., 0.3, 0.1, 0., 0., 0.5], 4, False)
    assert weighted_median_col_sparse(stake, weights, 3, f32(0.51)) == vec_to_fixed([0., 0., 0.4])


def test_math_interpolate_sparse():
    assert_sparse_mat_compare(interpolate_sparse([[]], [[]], 0, 0), [[]], 0)
    mat1, mat2 = vec_to_sparse_mat_fixed([0.], 1, False), vec_to_sparse_mat_fixed([1.], 1, False)
    for ratio, target in ((0, [0.]), (f64(0.5), [0.5]), (ONE, [1.])):
        assert_sparse_mat_compare(interpolate_sparse(mat1, mat2, 1, ratio), vec_to_sparse_mat_fixed(target, 1, False), 0)
    zeros = vec_to_sparse_mat_fixed([0.] * 12, 4, False)
    for ratio in (0, ONE):
        assert_sparse_mat_compare(interpolate_sparse(zeros, zeros, 3, ratio), zeros, 0)
    mat1 = vec_to_sparse_mat_fixed([1., 0., 100., 1000., 10000., 100000.], 3, False)
    mat2 = vec_to_sparse_mat_fixed([10., 100., 1000., 10000., 100000., 0.], 3, False)
    assert_sparse_mat_compare(interpolate_sparse(mat1, mat2, 2, 0), mat1, 0)
    target = vec_to_sparse_mat_fixed([9.1, 90., 910., 9100., 91000., 10000.], 3, False)
    assert_sparse_mat_compare(interpolate_sparse(mat1, mat2, 2, f64(0.9)), target, f64(0.0001))
    ones = vec_to_sparse_mat_fixed([1.] * 12, 4, False)
    assert_sparse_mat_compare(interpolate_sparse(zeros, ones, 3, 0), zeros, 0)
    for ratio, value in ((f64(0.000000001), 0.000000001), (f64(0.5), 0.5), (f64(0.9999998808), 0.999_999_9),
                         (ONE, 1.)):
        result = interpolate_sparse(zeros, ones, 3, ratio)
        assert_sparse_mat_compare(result, vec_to_sparse_mat_fixed([value] * 12, 4, False), 0)


def test_math_sparse_mat_ema_alpha():
    alphas = vec_to_mat_fixed([0.1] * 12, 4, False)
    cases = [
        ([0.1, 0.2, 3., 0.04, 0.05, 0.06, 0.07, 0.08, 0.09, 0.10, 0.11, 0.12], M12,
         [0.19, 0.38, 1., 0.43599, 0.545, 0.65399, 0.763, 0.87199, 0.981, 1., 1., 1.], 1e-4),
        ([0.001, 0.002, 0.003, 0.004, 0.05, 0.006, 0.007, 0.008, 0.009, 0.010, 0.011, 0.012],
         [0.1, 0.2, 3., 0.04, 0.05, 0.06, 0.07, 0.08, 0.09, 0.10, 0.11, 0.12],
         [0.0109, 0.0218, 0.30270, 0.007599, 0.05, 0.01139, 0.0133, 0.01519, 0.017, 0.01899, 0.02089, 0.0227],
         1e-4),
        ([0.] * 12, [0.1, 0.2, 3., 0.04, 0.05, 0.06, 0.07, 0.08, 0.09, 0.10, 0.11, 0.12],
         [0.01, 0.02, 0.3, 0.00399, 0.005, 0.00599, 0.007, 0.00799, 0.009, 0.01, 0.011, 0.01199], 1e-4),
        ([0.] * 12, [0.] * 12, [0.] * 12, 1e-4),
        ([1.] + [0.] * 11, [0.] * 4 + [2.] + [0.] * 7, [0.] * 4 + [0.2] + [0.] * 7, 1e-1),
    ]
    for old, new, target, eps in cases:
        result = mat_ema_alpha_sparse(vec_to_sparse_mat_fixed(new, 4, False), vec_to_sparse_mat_fixed(old, 4, False),
                                      alphas)
        assert_sparse_mat_compare(result, vec_to_sparse_mat_fixed(target, 4, False), f64(eps))


def test_mat_ema_alpha_sparse_empty():
    assert mat_ema_alpha_sparse([], [], []) == []


def test_mat_ema_alpha_sparse_single_element():
    assert mat_ema_alpha_sparse([[(0, f64(1.0))]], [[(0, f64(2.0))]], [[f64(0.5)]]) == [[(0, f64(1.0))]]


def test_mat_ema_alpha_sparse_multiple_elements():
    new = [[(0, f64(1.0)), (1, f64(2.0))], [(0, f64(3.0)), (1, f64(4.0))]]
    old = [[(0, f64(5.0)), (1, f64(6.0))], [(0, f64(7.0)), (1, f64(8.0))]]
    result = mat_ema_alpha_sparse(new, old, [[f64(0.1), f64(0.2)]] * 2)
    assert_sparse_mat_compare(result, [[(0, ONE), (1, ONE)]] * 2, f64(0.000001))


def test_mat_ema_alpha_sparse_zero_alpha():
    assert mat_ema_alpha_sparse([[(0, ONE)]], [[(0, f64(2.0))]], [[f64(0.1), 0]]) == [[(0, ONE)]]


def test_mat_ema_alpha_sparse_one_alpha():
    assert mat_ema_alpha_sparse([[(0, ONE)]], [[(0, f64(2.0))]], [[ONE, 0]]) == [[(0, ONE)]]


def test_mat_ema_alpha_sparse_mixed_alpha():
    new = [[(0, f64(1.0)), (1, f64(2.0))], [(0, f64(3.0)), (1, f64(4.0))]]
    old = [[(0, f64(5.0)), (1, f64(6.0))], [(0, f64(7.0)), (1, f64(8.0))]]
    result = mat_ema_alpha_sparse(new, old, [[f64(0.3), f64(0.7)]] * 2)
    assert_sparse_mat_compare(result, [[(0, ONE), (1, ONE)]] * 2, f64(0.000001))


def test_mat_ema_alpha_sparse_sparse_matrix():
    new = [[(0, f64(1.0))], [(1, f64(4.0))]]
    old = [[(0, f64(5.0))], [(1, f64(8.0))]]
    assert mat_ema_alpha_sparse(new, old, [[f64(0.5), f64(0.5)]] * 2) == [[(0, ONE)], [(1, ONE)]]


def test_mat_ema_alpha_basic():
    new = [[f64(1.0), f64(2.0), f64(3.0)], [f64(4.0), f64(5.0), f64(6.0)]]
    old = [[f64(0.5), f64(1.5), f64(2.5)], [f64(3.5), f64(4.5), f64(5.5)]]
    result = mat_ema_alpha(new, old, [[f64(0.5)] * 3] * 2)
    assert result == [[f64(0.75), ONE, ONE], [ONE, ONE, ONE]]


def test_mat_ema_alpha_varying_alpha():
    new = [[f64(1.0), f64(2.0), f64(3.0)], [f64(4.0), f64(5.0), f64(6.0)]]
    old = [[f64(0.5), f64(1.5), f64(2.5)], [f64(3.5), f64(4.5), f64(5.5)]]
    result = mat_ema_alpha(new, old, [[f64(0.2), f64(0.5), f64(0.8)]] * 2)
    assert_mat_compare(result, [[f64(0.6), ONE, ONE], [ONE, ONE, ONE]], f64(1e-6))


def test_mat_ema_alpha_sparse_varying_alpha():
    weights = [[(0, f64(0.1)), (1, f64(0.2))], [(0, f64(0.3)), (1, f64(0.4))]]
    bonds = [[(0, f64(0.5)), (1, f64(0.6))], [(0, f64(0.7)), (1, f64(0.8))]]
    alpha = [[f64(0.9), f64(0.8)], [f64(0.5), f64(0.7)]]
    expected = [[(0, f64(0.14)), (1, f64(0.28))], [(0, f64(0.499999)), (1, f64(0.519999))]]
    assert_sparse_mat_compare(mat_ema_alpha_sparse(weights, bonds, alpha), expected, f64(1e-6))


def test_mat_ema_alpha_empty_matrices():
    assert mat_ema_alpha([], [], []) == [[]]


def test_mat_ema_alpha_single_element():
    assert mat_ema_alpha([[ONE]], [[f64(0.5)]], [[f64(0.5)]]) == [[f64(0.75)]]


def test_mat_ema_alpha_mismatched_dimensions():
    new = [[f64(1.0), f64(2.0)], [f64(3.0), f64(4.0)]]
    old = [[f64(1.0), f64(2.0), f64(3.0)], [f64(4.0), f64(5.0), f64(6.0)]]
    assert mat_ema_alpha(new, old, [[f64(0.5)] * 3] * 2)[0][0] == old[0][0]


def test_math_fixed_to_u16():
    for expected in (0, 0xFFFF // 2, 0xFFFF):
        assert fixed_to_u16(F.from_num(expected)) == expected


def test_math_fixed64_to_u64():
    assert fixed64_to_u64(I64F64.from_num(0)) == 0
    for value in ((2**63 - 1) // 2, 2**63 - 1):
        assert fixed64_to_u64(I64F64.from_num(value)) == value


def test_math_fixed64_to_u64_saturates():
    assert fixed64_to_u64(I64F64.from_num(-1)) == 0


def test_math_fixed64_to_fixed32():
    assert fixed64_to_fixed32(I64F64.from_num(0)) == 0
    assert fixed64_to_fixed32(I64F64.from_num((2**32 - 1) // 2)) == F.from_num((2**32 - 1) // 2)


def test_math_fixed64_to_fixed32_saturates():
    assert fixed64_to_fixed32(I64F64.from_num(2**32 - 1)) == F.max_bits


def test_math_u16_to_fixed():
    for value in (0, 0xFFFF // 2, 0xFFFF):
        assert u16_to_fixed(value) == F.from_num(value)


def test_math_u16_proportion_to_fixed():
    assert u16_proportion_to_fixed(0) == 0


def test_fixed_proportion_to_u16():
    assert fixed_proportion_to_u16(0) == 0


def test_fixed_proportion_to_u16_saturates():
    assert fixed_proportion_to_u16(F.from_num(0xFFFF)) == 0xFFFF


def test_vec_fixed64_to_fixed32():
    assert vec_fixed64_to_fixed32([I64F64.from_num(-(2**31))]) == [F.from_num(-(2**31))]
    assert vec_fixed64_to_fixed32([I64F64.from_num(2**31 - 1)]) == [F.from_num(2**31 - 1)]


def test_vec_fixed64_to_fixed32_saturates():
    assert vec_fixed64_to_fixed32([I64F64.from_num(2**63 - 1)]) == [F.max_bits]


def test_fixed_proportion_to_u16_is_the_saturating_product():
    """The direct form of `fixed_proportion_to_u16` equals `fixed_to_u16(x.saturating_mul(65535))`
    in the crate's I32F32 arithmetic over the whole range (saturating at both ends)."""
    rng = random.Random(0)
    values = [F.min_bits, F.max_bits, -1, 0, 1, ONE, ONE + 1, 0x7FFF_FFFF_FFFF, 1 << 48]
    values += [rng.randrange(F.min_bits, F.max_bits) for _ in range(2000)]
    values += [rng.randrange(0, 2 * ONE) for _ in range(2000)]
    for x in values:
        assert fixed_proportion_to_u16(x) == fixed_to_u16(F.saturating_mul(x, F.from_num(0xFFFF))), x
