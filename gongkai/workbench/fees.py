"""信息处理费 amounts (国办函〔2020〕109号 管理办法 第3–5条): pure functions, progressive bands."""
from __future__ import annotations

from gongkai.workbench.errors import ActionRefused

FREE_REQUESTS = 10  # 第4条: up to 10 requests per natural month free
FREE_PAGES = 30     # 第5条: up to 30 pages free
PAGE_BANDS = ((100, 10), (200, 20), (None, 40))  # (upper page, 元/页) above 30 pages, progressive


def fee_by_count(k: int) -> int:
    "按件: the fee (元) of the k-th request of one applicant in one natural month."
    if k <= FREE_REQUESTS:
        return 0
    if k <= 30:
        return 100
    return 100 + 100 * -(-(k - 30) // 10)  # 31–40: 200, 41–50: 300, …


def fee_by_count_total(n: int) -> int:
    "按件: the month's total for an applicant's n requests."
    return sum(fee_by_count(k) for k in range(1, n + 1))


def fee_by_pages(pages: int) -> int:
    "按量: the fee (元) of one request of `pages` pages, 超额累进."
    total, lower = 0, FREE_PAGES
    for upper, rate in PAGE_BANDS:
        top = pages if upper is None else min(pages, upper)
        if top > lower:
            total += (top - lower) * rate
        if upper is None or pages <= upper:
            break
        lower = upper
    return total


def max_fee(nth: int | None = None, pages: int | None = None) -> int:
    "The most an agency may charge for one request: by count or by pages, never both (第3条)."
    if nth is not None and pages is not None:
        raise ActionRefused("workbench.fee.both")
    if nth is not None:
        return fee_by_count(int(nth))
    if pages is not None:
        return fee_by_pages(int(pages))
    raise ActionRefused("workbench.fee.none")
