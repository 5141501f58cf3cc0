"""A tiny writer of the 2021 statutory tables in the flattened shapes real reports come in (test input only)."""
from __future__ import annotations

from gongkai.formats.schema import load

SPEC = load("2021")
INTRO = ("某某县人民政府办公室2023年政府信息公开工作年度报告\n本报告中所列数据统计期限自2023年1月1日起至2023年12月31日止。\n"
         "一、总体情况\n本年度工作平稳推进。\n二、主动公开政府信息情况\n")


def _fmt(v) -> str:
    return "" if v is None else f"{v:g}" if isinstance(v, float) else str(v)


def rows(cells: dict):
    "(label, [values]) per printed row of the three tables, with heading rows between."
    for table in SPEC.tables:
        yield ("#", table.title)
        for row in table.rows:
            yield (row.label, [cells.get(c) for c in row.cells])


def write(cells: dict, shape: str) -> str:
    out = [INTRO]
    for label, vals in rows(cells):
        if label == "#":
            if vals.startswith("收到"):
                out.append("三、收到和处理政府信息公开申请情况\n")
                out.append("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）申请人情况\n自然人 法人或其他组织 总计\n商业企业 科研机构 社会公益组织 法律服务机构 其他\n")
            elif vals.startswith("政府信息公开行政复议"):
                out.append("四、政府信息公开行政复议、行政诉讼情况\n行政复议 行政诉讼\n结果维持 结果纠正 其他结果 尚未审结 总计 未经复议直接起诉 复议后起诉\n"
                           "结果维持 结果纠正 其他结果 尚未审结 总计 结果维持 结果纠正 其他结果 尚未审结 总计\n")
            else:
                out.append("第二十条第（一）项\n信息内容 本年制发件数 本年废止件数 现行有效件数\n")
            continue
        texts = [_fmt(v) for v in vals]
        if shape == "pipes":
            out.append(f"{label} | " + "".join(f"{t} | " for t in texts) + "|\n")
        elif shape == "one-per-line":
            out.append(label + "\n\n" + "".join(f"{t or chr(0xA0)}\n\n" for t in texts))
        elif shape == "spaces":
            out.append(label + " " + " ".join(texts) + "\n")
        elif shape == "concatenated":
            out.append(label + "".join(texts))
        elif shape == "pdf-markdown":
            out.append(f"| {label[:6]}\n{label[6:]} | " + " | ".join(texts) + " |\n|---|---|\n— 3 —\n")
    out.append("\n五、存在的主要问题及改进情况\n无。\n六、其他需要报告的事项\n本年度未收取信息处理费。\n")
    return "".join(out)
