"""The vector and matrix arithmetic of Yuma consensus (subtensor's `epoch/math.rs`), function by
function, on I32F32 values held as their raw bits (`primitives.fixed.I32F32`).

A dense matrix is a list of rows; a sparse matrix is a list of rows of `(column, value)` pairs,
in the order the Rust builds them. Every `saturating_*` and `safe_div` is the crate's; a Rust
`iter().sum()` is a plain `+` on the bits, which the release runtime wraps (`fixed_sum`). Masks
follow the Rust's `get(i).unwrap_or(true)`: an index beyond a mask counts as masked."""

from __future__ import annotations

from pysubtensor.primitives.fixed import I32F32, I64F64, exp

__all__ = [
    "clamp_value", "col_clip_sparse", "exp_safe", "fixed64_to_fixed32", "fixed64_to_u64", "fixed_proportion_to_u16",
    "fixed_sum", "fixed_to_fixed_u16_proportion", "inplace_col_clip", "inplace_col_max_upscale", "inplace_col_max_upscale_sparse",
    "inplace_col_normalize", "inplace_col_normalize_sparse", "inplace_mask_cols", "inplace_mask_diag",
    "inplace_mask_diag_except_index", "inplace_mask_matrix", "inplace_mask_rows", "inplace_mask_vector",
    "inplace_normalize", "inplace_normalize_64", "inplace_normalize_using_sum", "inplace_row_normalize",
    "inplace_row_normalize_sparse", "interpolate", "interpolate_sparse", "is_topk_nonzero", "is_zero",
    "mask_diag_sparse", "mask_diag_sparse_except_index", "mask_rows_sparse", "mat_ema", "mat_ema_alpha",
    "mat_ema_alpha_sparse", "mat_ema_sparse", "mat_vec_mul", "mat_vec_mul_sparse", "matmul", "matmul_sparse",
    "matmul_transpose", "matmul_transpose_sparse", "row_hadamard", "row_hadamard_sparse", "row_sum",
    "row_sum_sparse", "scalar_vec_mask_sparse_matrix", "u16_proportion_to_fixed", "u16_to_fixed",
    "vec_fixed64_to_fixed32", "vec_mask_sparse_matrix", "vec_mul", "weighted_median", "weighted_median_col",
    "weighted_median_col_sparse",
]

F = I32F32
ONE = F.one
# The crate's operations on I32F32, bound once (these loops run n^2 times per epoch).
_add, _sub, _mul, _div = F.saturating_add, F.saturating_sub, F.saturating_mul, F.safe_div
_U16_MAX_FIXED = 0xFFFF << 32
_MIN_EXP = F.from_num(-20)
_MAX_EXP = F.from_num(20)

SparseMatrix = list[list[tuple[int, int]]]
Matrix = list[list[int]]


def fixed_sum(values) -> int:
    """`iter().sum()` of I32F32 values (math.rs `sum`): bit addition, wrapping as the release
    build does."""
    total = 0
    for v in values:
        total += v
    return F.wrapping_add(total, 0)


def _masked(mask: list[bool], i: int) -> bool:
    return mask[i] if i < len(mask) else True


# -- conversions -----------------------------------------------------------------------------


def fixed_to_u16(x: int) -> int:
    return F.saturating_to_num(x, 16)


def fixed64_to_u64(x: int) -> int:
    return I64F64.saturating_to_num(x)


def fixed64_to_fixed32(x: int) -> int:
    return F.saturating_from_fixed(I64F64, x)


def vec_fixed64_to_fixed32(vec: list[int]) -> list[int]:
    return [fixed64_to_fixed32(x) for x in vec]


def u16_to_fixed(x: int) -> int:
    return x << 32


def u16_proportion_to_fixed(x: int) -> int:
    return _div(x << 32, _U16_MAX_FIXED)


def fixed_to_fixed_u16_proportion(x: int) -> int:
    return _div(x, _U16_MAX_FIXED)


def fixed_proportion_to_u16(x: int) -> int:
    """`fixed_to_u16(x.saturating_mul(u16::MAX))`: the product of bits by an integer-valued
    fixed is exact (x * 65535), saturated to I32F32, then floored and saturated to u16."""
    r = x * 0xFFFF
    r = F.max_bits if r > F.max_bits else F.min_bits if r < F.min_bits else r
    r >>= 32
    return 0xFFFF if r > 0xFFFF else 0 if r < 0 else r


# -- vectors ---------------------------------------------------------------------------------


def is_zero(vector: list[int]) -> bool:
    return fixed_sum(vector) == 0


def exp_safe(x: int) -> int:
    """e^x with x clamped to [-20, 20]; an overflowing series gives 0 (x <= 0) or MAX."""
    x = _MIN_EXP if x < _MIN_EXP else _MAX_EXP if x > _MAX_EXP else x
    out = exp(F, x)
    if out is None:
        return 0 if x <= 0 else F.max_bits
    return out


def is_topk_nonzero(vector: list[int], k: int) -> list[bool]:
    """True for the non-zero values among the k largest: a stable ascending sort, the first
    n - k dropped (so among ties the higher index stays)."""
    n = len(vector)
    result = [v != 0 for v in vector]
    if n < k:
        return result
    for idx in sorted(range(n), key=lambda i: vector[i])[:max(n - k, 0)]:
        result[idx] = False
    return result


def inplace_normalize(x: list[int]) -> None:
    total = fixed_sum(x)
    if total == 0:
        return
    for i, v in enumerate(x):
        x[i] = _div(v, total)


def inplace_normalize_using_sum(x: list[int], x_sum: int) -> None:
    if x_sum == 0:
        return
    for i, v in enumerate(x):
        x[i] = _div(v, x_sum)


def inplace_normalize_64(x: list[int]) -> None:
    """I64F64 vector."""
    total = I64F64.wrapping_add(sum(x), 0)
    if total == 0:
        return
    for i, v in enumerate(x):
        x[i] = I64F64.safe_div(v, total)


def inplace_mask_vector(mask: list[bool], vector: list[int]) -> None:
    if not mask:
        return
    for i in range(len(vector)):
        if _masked(mask, i):
            vector[i] = 0


def vec_mul(a: list[int], b: list[int]) -> list[int]:
    """Element-wise `checked_mul`, 0 on overflow."""
    out = []
    for x, y in zip(a, b, strict=False):
        r = F.checked_mul(x, y)
        out.append(0 if r is None else r)
    return out


def clamp_value(value: int, low: int, high: int) -> int:
    return max(min(value, high), low)


# -- weighted median -------------------------------------------------------------------------


def weighted_median(stake: list[int], score: list[int], partition_idx: list[int], minority: int,
                    partition_lo: int, partition_hi: int) -> int:
    """The stake-weighted median of `score` over `partition_idx` by quick-select on the middle
    element: recurse into the lower part while the minority stake falls inside it, into the
    upper part while it falls there, else the pivot."""
    if len(stake) != len(score):
        return 0

    if all(i < len(score) for i in partition_idx):
        stake_of, score_of = stake.__getitem__, score.__getitem__
    else:  # `get_safe`: an index beyond the vectors reads 0
        def stake_of(i: int) -> int:
            return stake[i] if i < len(stake) else 0

        def score_of(i: int) -> int:
            return score[i] if i < len(score) else 0

    current = list(partition_idx)
    iteration_limit = len(partition_idx)
    iteration = 0
    while True:
        n = len(current)
        if n == 0:
            return 0
        if n == 1:
            return score_of(current[0])
        pivot = score_of(current[n // 2])
        lo_stake = hi_stake = 0
        lower: list[int] = []
        upper: list[int] = []
        for idx in current:
            s = score_of(idx)
            if s == pivot:
                continue
            if s < pivot:
                lo_stake = _add(lo_stake, stake_of(idx))
                lower.append(idx)
            else:
                hi_stake = _add(hi_stake, stake_of(idx))
                upper.append(idx)
        if minority < _add(partition_lo, lo_stake) and lower:
            current = lower
            partition_hi = _add(partition_lo, lo_stake)
        elif _sub(partition_hi, hi_stake) <= minority and upper:
            current = upper
            partition_lo = _sub(partition_hi, hi_stake)
        else:
            return pivot
        iteration += 1
        if iteration > iteration_limit:
            return 0


def weighted_median_col_sparse(stake: list[int], score: SparseMatrix, columns: int, majority: int) -> list[int]:
    """Per column, the weighted median of the scores given by the rows with positive stake
    (missing entries score 0), stake re-normalised over those rows; minority = sum - majority."""
    use_stake = [s for s in stake if s > 0]
    inplace_normalize(use_stake)
    stake_sum = fixed_sum(use_stake)
    minority = _sub(stake_sum, majority)
    stake_idx = list(range(len(use_stake)))
    use_score = [[0] * len(use_stake) for _ in range(columns)]
    k = 0
    for s, row in zip(stake, score, strict=False):
        if s > 0:
            for c, val in row:
                if c < columns and k < len(use_stake):
                    use_score[c][k] = val
            k += 1
    return [weighted_median(use_stake, col, stake_idx, minority, 0, stake_sum) for col in use_score]


def weighted_median_col(stake: list[int], score: Matrix, majority: int) -> list[int]:
    """Dense `weighted_median_col`: per column, over the rows with positive stake."""
    columns = len(score[0]) if score else 0
    median = [0] * columns
    for c in range(columns):
        use_stake: list[int] = []
        use_score: list[int] = []
        for r, st in enumerate(stake):
            if st > 0:
                if r < len(score) and len(score[r]) == columns:
                    use_stake.append(st)
                    use_score.append(score[r][c])
                else:
                    use_stake.append(0)
                    use_score.append(0)
        if use_stake:
            inplace_normalize(use_stake)
            stake_sum = fixed_sum(use_stake)
            minority = _sub(stake_sum, majority)
            median[c] = weighted_median(use_stake, use_score, list(range(len(use_stake))), minority, 0, stake_sum)
    return median


# -- sparse matrices -------------------------------------------------------------------------


def inplace_row_normalize_sparse(m: SparseMatrix) -> None:
    for row in m:
        total = fixed_sum(v for _, v in row)
        if total > 0:
            row[:] = [(j, _div(v, total)) for j, v in row]


def row_sum_sparse(m: SparseMatrix) -> list[int]:
    return [fixed_sum(v for _, v in row) for row in m]


def inplace_col_normalize_sparse(m: SparseMatrix, columns: int) -> None:
    col_sum = [0] * columns
    for row in m:
        for j, v in row:
            if j < columns:
                col_sum[j] = _add(col_sum[j], v)
    for row in m:
        row[:] = [(j, _div(v, col_sum[j]) if j < columns and col_sum[j] != 0 else v) for j, v in row]


def inplace_col_max_upscale_sparse(m: SparseMatrix, columns: int) -> None:
    col_max = [0] * columns
    for row in m:
        for j, v in row:
            if j < columns and col_max[j] < v:
                col_max[j] = v
    for row in m:
        row[:] = [(j, _div(v, col_max[j]) if j < columns and col_max[j] != 0 else v) for j, v in row]


def scalar_vec_mask_sparse_matrix(m: SparseMatrix, scalar: int, vector: list[int], mask_fn) -> SparseMatrix:
    """Drop entry (i, j) where `mask_fn(scalar, vector[j])` (a j beyond the vector reads 0)."""
    return [[(j, v) for j, v in row if not mask_fn(scalar, vector[j] if j < len(vector) else 0)] for row in m]


def mask_rows_sparse(mask: list[bool], m: SparseMatrix) -> SparseMatrix:
    return [[] if _masked(mask, i) else list(row) for i, row in enumerate(m)]


def mask_diag_sparse(m: SparseMatrix) -> SparseMatrix:
    return [[(j, v) for j, v in row if j != i] for i, row in enumerate(m)]


def mask_diag_sparse_except_index(m: SparseMatrix, except_index: int) -> SparseMatrix:
    return [[(j, v) for j, v in row if j != i or (i == except_index and j == except_index)]
            for i, row in enumerate(m)]


def vec_mask_sparse_matrix(m: SparseMatrix, first: list[int], second: list[int], mask_fn) -> SparseMatrix:
    """Drop entry (i, j) where `mask_fn(first[i], second[j])` (missing values read 0)."""
    out = []
    for i, row in enumerate(m):
        fv = first[i] if i < len(first) else 0
        out.append([(j, v) for j, v in row if not mask_fn(fv, second[j] if j < len(second) else 0)])
    return out


def row_hadamard_sparse(m: SparseMatrix, vector: list[int]) -> SparseMatrix:
    out = []
    for row, scale in zip(m, vector, strict=False):
        out.append([(j, _mul(v, scale)) for j, v in row])
    return out


def matmul_sparse(m: SparseMatrix, vector: list[int], columns: int) -> list[int]:
    """r_j = sum_i vector_i * m_ij."""
    result = [0] * columns
    for i, row in enumerate(m):
        scale = vector[i] if i < len(vector) else 0
        for j, v in row:
            if j < columns:
                result[j] = _add(result[j], _mul(scale, v))
    return result


def matmul_transpose_sparse(m: SparseMatrix, vector: list[int]) -> list[int]:
    """r_i = sum_j vector_j * m_ij."""
    out = []
    for row in m:
        acc = 0
        for j, v in row:
            acc = _add(acc, _mul(vector[j] if j < len(vector) else 0, v))
        out.append(acc)
    return out


def col_clip_sparse(m: SparseMatrix, col_threshold: list[int]) -> SparseMatrix:
    """min(m_ij, threshold_j); an entry above a non-positive threshold is dropped."""
    out = []
    for row in m:
        out_row = []
        for j, v in row:
            th = col_threshold[j] if j < len(col_threshold) else 0
            if th < v:
                if th > 0:
                    out_row.append((j, th))
            else:
                out_row.append((j, v))
        out.append(out_row)
    return out


def interpolate_sparse(mat1: SparseMatrix, mat2: SparseMatrix, columns: int, ratio: int) -> SparseMatrix:
    """mat1 + ratio * (mat2 - mat1), keeping positive entries (ratio 0 / 1: a copy of one)."""
    if ratio == 0:
        return [list(r) for r in mat1]
    if ratio == ONE:
        return [list(r) for r in mat2]
    if len(mat1) != len(mat2):
        return [list(r) for r in mat2]
    result: SparseMatrix = []
    for i in range(len(mat1)):
        row1 = [0] * columns
        for j, v in mat1[i]:
            if j < columns:
                row1[j] = v
        row2 = [0] * columns
        for j, v in mat2[i]:
            if j < columns:
                row2[j] = v
        out = []
        for j in range(columns):
            interp = _add(row1[j], _mul(ratio, _sub(row2[j], row1[j])))
            if interp > 0:
                out.append((j, interp))
        result.append(out)
    return result


def mat_vec_mul_sparse(m: SparseMatrix, vector: list[int]) -> SparseMatrix:
    """m_ij * vector_j, keeping non-zero products."""
    out = []
    for row in m:
        out_row = []
        for j, v in row:
            if j < len(vector):
                p = _mul(v, vector[j])
                if p != 0:
                    out_row.append((j, p))
        out.append(out_row)
    return out


def mat_ema_sparse(new: SparseMatrix, old: SparseMatrix, alpha: int) -> SparseMatrix:
    """alpha * new + (1 - alpha) * old over rows of width len(new), keeping positive entries."""
    one_minus_alpha = _sub(ONE, alpha)
    n = len(new)
    if n == 0:
        return []
    result = []
    for i, new_row in enumerate(new):
        acc = [0] * n
        for j, v in new_row:
            if j < n:
                acc[j] = _add(acc[j], _mul(alpha, v))
        if i < len(old):
            for j, v in old[i]:
                if j < n:
                    acc[j] = _add(acc[j], _mul(one_minus_alpha, v))
        result.append([(j, v) for j, v in enumerate(acc) if v > 0])
    return result


def mat_ema_alpha_sparse(new: SparseMatrix, old: SparseMatrix, alpha: Matrix) -> SparseMatrix:
    """Per entry of `new`: min(1, (1 - a_ij) * old_ij + max(0, a_ij * new_ij)), kept if
    positive; old entries without a new one vanish."""
    if len(new) != len(old) or len(new) != len(alpha):
        return [list(r) for r in new]
    result = []
    for new_row, old_row, alpha_row in zip(new, old, alpha, strict=True):
        decayed = [0] * len(alpha_row)
        for j, old_val in old_row:
            if j < len(alpha_row):
                decayed[j] = _mul(_sub(ONE, alpha_row[j]), old_val)
        out_row = []
        for j, new_val in new_row:
            if j < len(alpha_row):
                inc = max(_mul(alpha_row[j], new_val), 0)
                val = min(_add(decayed[j], inc), ONE)
                if val > 0:
                    out_row.append((j, val))
        result.append(out_row)
    return result


# -- dense matrices --------------------------------------------------------------------------


def inplace_row_normalize(x: Matrix) -> None:
    for row in x:
        total = fixed_sum(row)
        if total > 0:
            row[:] = [_div(v, total) for v in row]


def row_sum(x: Matrix) -> list[int]:
    if x and not x[0]:
        return []
    return [fixed_sum(row) for row in x]


def inplace_col_normalize(x: Matrix) -> None:
    col_sums: list[int] = []
    for row in x:
        if len(col_sums) < len(row):
            col_sums.extend([0] * (len(row) - len(col_sums)))
        for c, v in enumerate(row):
            col_sums[c] = _add(col_sums[c], v)
    if not col_sums:
        return
    for row in x:
        row[:] = [_div(v, col_sums[c]) if col_sums[c] != 0 else v for c, v in enumerate(row)]


def inplace_col_max_upscale(x: Matrix) -> None:
    max_cols = max((len(r) for r in x), default=0)
    if max_cols == 0:
        return
    col_max = [0] * max_cols
    for row in x:
        for c, v in enumerate(row):
            if col_max[c] < v:
                col_max[c] = v
    for row in x:
        row[:] = [_div(v, col_max[c]) if col_max[c] != 0 else v for c, v in enumerate(row)]


def inplace_mask_matrix(mask: list[list[bool]], matrix: Matrix) -> None:
    if not mask or not mask[0]:
        return
    for r, row in enumerate(matrix):
        mask_row = mask[r] if r < len(mask) else None
        for c in range(len(row)):
            if mask_row is None or _masked(mask_row, c):
                row[c] = 0


def inplace_mask_rows(mask: list[bool], matrix: Matrix) -> None:
    if not matrix:
        return
    cols = len(matrix[0])
    for r in range(len(matrix)):
        if _masked(mask, r):
            matrix[r] = [0] * cols


def inplace_mask_cols(mask: list[bool], matrix: Matrix) -> None:
    for row in matrix:
        for c in range(len(row)):
            if _masked(mask, c):
                row[c] = 0


def inplace_mask_diag(matrix: Matrix) -> None:
    if not matrix or not matrix[0] or len(matrix) != len(matrix[0]):
        return
    for i, row in enumerate(matrix):
        if i < len(row):
            row[i] = 0


def inplace_mask_diag_except_index(matrix: Matrix, except_index: int) -> None:
    if not matrix or not matrix[0] or len(matrix) != len(matrix[0]):
        return
    keep = None
    if except_index < len(matrix) and except_index < len(matrix[except_index]):
        keep = matrix[except_index][except_index]
    inplace_mask_diag(matrix)
    if keep is not None:
        matrix[except_index][except_index] = keep


def row_hadamard(matrix: Matrix, vector: list[int]) -> Matrix:
    if not matrix or not matrix[0]:
        return [[]]
    return [[_mul(scale, v) for v in row] for row, scale in zip(matrix, vector, strict=False)]


def matmul(matrix: Matrix, vector: list[int]) -> list[int]:
    if not matrix or not matrix[0]:
        return []
    acc = [0] * len(matrix[0])
    for i, row in enumerate(matrix):
        scale = vector[i] if i < len(vector) else 0
        for c, v in enumerate(row[:len(acc)]):
            acc[c] = _add(acc[c], _mul(scale, v))
    return acc


def matmul_transpose(matrix: Matrix, vector: list[int]) -> list[int]:
    if not matrix or not matrix[0]:
        return []
    out = []
    for row in matrix:
        total = 0
        for m, v in zip(row, vector, strict=False):
            total = _add(total, _mul(m, v))
        out.append(total)
    return out


def inplace_col_clip(x: Matrix, col_threshold: list[int]) -> None:
    for row in x:
        for c in range(min(len(row), len(col_threshold))):
            row[c] = min(col_threshold[c], row[c])


def interpolate(mat1: Matrix, mat2: Matrix, ratio: int) -> Matrix:
    if ratio == 0:
        return [list(r) for r in mat1]
    if ratio == ONE:
        return [list(r) for r in mat2]
    if not mat1 or not mat1[0]:
        return [[]]
    cols = len(mat1[0])
    result = [[0] * cols for _ in mat1]
    for i, row1 in enumerate(mat1):
        if i >= len(mat2):
            break
        for c, (v1, v2) in enumerate(zip(row1, mat2[i], strict=False)):
            if c >= cols:
                break
            result[i][c] = _add(v1, _mul(ratio, _sub(v2, v1)))
    return result


def mat_vec_mul(matrix: Matrix, vector: list[int]) -> Matrix:
    if not matrix or not matrix[0]:
        return [[]]
    return [vec_mul(row, vector) for row in matrix]


def mat_ema(new: Matrix, old: Matrix, alpha: int) -> Matrix:
    if not new:
        return [[]]
    if not new[0]:
        return [[]]
    one_minus_alpha = _sub(ONE, alpha)
    out = []
    for new_row, old_row in zip(new, old, strict=False):
        out.append([_add(_mul(alpha, n), _mul(one_minus_alpha, o))
                    for n, o in zip(new_row, old_row, strict=False)])
    return out


def mat_ema_alpha(new: Matrix, old: Matrix, alpha: Matrix) -> Matrix:
    if not new or not new[0]:
        return [[]]
    if len(new) != len(old) or len(new) != len(alpha):
        return [list(r) for r in old]
    for nrow, orow, arow in zip(new, old, alpha, strict=True):
        if len(nrow) != len(orow) or len(nrow) != len(arow):
            return [list(r) for r in new]
    out = []
    for nrow, orow, arow in zip(new, old, alpha, strict=True):
        r = []
        for n, o, a in zip(nrow, orow, arow, strict=True):
            decayed = _mul(_sub(ONE, a), o)
            inc = max(_mul(a, n), 0)
            r.append(min(_add(decayed, inc), ONE))
        out.append(r)
    return out
