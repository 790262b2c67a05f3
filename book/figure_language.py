"""The figures' words in Chinese, for the Chinese pages, notebooks and slides.

A chapter draws each figure once. In Jupyter, ``show_chinese_figures`` makes the PNG of a figure
carry, in its output's metadata (``{"image/png": {"zh_CN": <base64 PNG>}}``), the same figure drawn
a second time with its words in Chinese: the Chinese edition shows that picture, so both editions
show the same data by construction. The words come from ``CHINESE``: a whole label, each line of a
label, or a pattern whose ``{}`` stands for what the code fills in (a number, a class name).
Formulas, numbers and names such as L1 or Huber stay as they are; a formula inside a Chinese label
is written in Unicode (w₁, ŷ, |ℬ|), since matplotlib's mathtext has no Chinese characters.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable

from matplotlib import font_manager
from matplotlib.figure import Figure
from matplotlib.text import Text
from matplotlib.ticker import FuncFormatter

from book.fashion_mnist import CHINESE_LABELS

LANGUAGE = "zh_CN"
#: Fonts with Chinese characters, in the order tried (fonts-wqy-microhei on Debian, which CI installs).
CHINESE_FONTS = ("WenQuanYi Micro Hei", "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC",
                 "Microsoft YaHei", "SimHei")

CHINESE = {
    **CHINESE_LABELS,
    # axes
    "epoch": "迭代周期",
    "learning rate η": "学习率η",
    "batch size $|\\mathcal{B}|$": "批量大小|ℬ|",
    "examples processed": "已处理的样本数",
    "wall time of the updates (s)": "更新所用的实际时间（秒）",
    "step (minibatch)": "步数（每步一个小批量）",
    "distance to minimum after {} steps": "{}步后到最小值点的距离",
    "steps to f < 1e-6": "达到f < 1e-6所需的步数",
    "mean squared gradient norm": "小批量梯度长度平方的平均值",
    "training loss ((100k US$)²)": "训练损失（单位：(10万美元)²）",
    "training loss after two epochs ((100k US$)²)": "两个迭代周期后的训练损失/(10万美元)²",
    "training loss (epoch average)": "训练损失（迭代周期内的平均）",
    "loss above the minimum": "损失比最小值高出的部分",
    "(thousand US$)²": "单位：(千美元)²",
    "average loss": "平均损失",
    "average loss ((thousand US$)²)": "平均损失（单位：(千美元)²）",
    "loss / accuracy": "损失/准确率",
    "test accuracy": "测试准确率",
    "validation accuracy": "验证准确率",
    "predicted class": "预测类别",
    "true class": "真实类别",
    "test images": "测试图像数",
    "recall (fraction of the class's test images)": "召回率（该类测试图像中预测正确的比例）",
    "class j": "类别j",
    "probability": "概率",
    "p, the probability Q gives class 1": "p：Q赋予类别1的概率",
    "H (nats)": "H（纳特）",
    "living area (sq ft)": "居住面积（平方英尺）",
    "sale price (thousand US$)": "成交价（千美元）",
    "number of bedrooms": "卧室数",
    "number of bathrooms": "浴室数",
    "prediction ŷ (thousand US$)": "预测值ŷ（千美元）",
    "loss ½(y − ŷ)² ((thousand US$)²)": "损失½(y − ŷ)²（单位：(千美元)²）",
    "derivative ŷ − y (thousand US$)": "导数ŷ − y（千美元）",
    "slope w (US$ per sq ft)": "斜率w（美元/平方英尺）",
    "true price (thousand US$)": "真实价格（千美元）",
    "predicted price (thousand US$)": "预测价格（千美元）",
    "second weight $w_2$ (no unit)": "第二个权重w₂（无单位）",
    "second feature $x_2$ (no unit)": "第二个特征x₂（无单位）",
    "label $y$ (no unit)": "标签y（无单位）",
    "prediction $\\hat y$ (true value $y = 0$; no unit)": "预测值ŷ（真实值y = 0；无单位）",
    "value (no unit)": "数值（无单位）",
    "x (no unit)": "x（无单位）",
    "y (no unit)": "y（无单位）",
    "margin $m = y f$ (no unit)": "间隔m = y·f（无单位）",
    "loss $l(m)$": "损失l(m)",
    "gradient $\\partial l / \\partial m$": "梯度∂l/∂m",
    "number of outliers (of {} examples)": "离群值个数（共{}个样本）",
    "fitted slope w (no unit)": "拟合的斜率w（无单位）",
    "gradient with respect to $w_1$": "关于w₁的梯度",
    "gradient with respect to $w_2$": "关于w₂的梯度",
    "$x_1$ (feature 1)": "x₁（特征1）",
    "$x_2$ (feature 2)": "x₂（特征2）",
    # legends, titles and notes
    "η = {} (too small)": "η = {}（过小）",
    "η = {} (good)": "η = {}（合适）",
    "η = {} (too large)": "η = {}（过大）",
    "gradient descent": "梯度下降",
    "batch size {}": "批量大小{}",
    "full batch ({})": "全批量（{}）",
    "full gradient": "全量梯度",
    "measured": "实测",
    "$(1/|\\mathcal{B}|) \\cdot (n-|\\mathcal{B}|)/(n-1) \\cdot$ value at $|\\mathcal{B}| = 1$":
        "(1/|ℬ|)·(n − |ℬ|)/(n − 1)·(|ℬ| = 1时的值)",
    "unstable": "不稳定",
    "diverged": "发散",
    "input layer": "输入层",
    "output layer": "输出层",
    "inputs": "输入",
    "threshold": "阈值",
    "fires: {}": "激发：{}",
    "silent: {}": "不激发：{}",
    "from scratch, lr {}": "从零开始实现，学习率{}",
    "MSELoss, lr {}": "MSELoss，学习率{}",
    "constant lr {}": "恒定学习率{}",
    "lr {} / epoch": "学习率{}/k（第k个迭代周期）",
    "training houses": "训练集房屋",
    "test houses": "测试集房屋",
    "w = {} US$ per sq ft (fitted)": "w = {}美元/平方英尺（拟合值）",
    "w = {} US$ per sq ft": "w = {}美元/平方英尺",
    "{} sq ft": "{}平方英尺",
    "point of averages": "均值点",
    "perfect prediction": "完美预测",
    "loss $l(y, \\hat y)$": "损失l(y, ŷ)",
    "gradient $\\partial l / \\partial \\hat y$": "梯度∂l/∂ŷ",
    "likelihood $\\exp(-l)$": "似然exp(−l)",
    "data": "数据",
    "outliers": "离群值",
    "true line": "真实直线",
    "L2 fit": "L2拟合",
    "L1 fit": "L1拟合",
    "Huber fit": "Huber拟合",
    "0-1": "0-1损失",
    "hinge": "合页损失",
    "logistic": "逻辑损失",
    "cross-entropy": "交叉熵损失",
    "squared loss": "平方损失",
    "cross-entropy, η = {}": "交叉熵损失，η = {}",
    "squared loss, η = {}": "平方损失，η = {}",
    "class {}": "类别{}",
    "after epoch 0": "训练前",
    "after epoch {}": "训练{}个迭代周期后",
    "train loss": "训练损失",
    "train acc": "训练准确率",
    "test acc": "测试准确率",
    "val acc": "验证准确率",
    "raw pixels, constant lr": "原始像素，恒定学习率",
    "raw pixels, cosine decay": "原始像素，余弦衰减",
    "standardised, constant lr": "标准化输入，恒定学习率",
    "standardised, cosine decay": "标准化输入，余弦衰减",
    "overall": "总体准确率",
    "cross-entropy H(P, Q)": "交叉熵H(P, Q)",
    "entropy H(P)": "熵H(P)",
}

#: Words a Chinese label keeps in Latin letters: names of losses, of a PyTorch class and of a function.
KEPT = {"L1", "L2", "Huber", "MSELoss", "exp"}
_PATTERNS = [(re.compile(re.escape(key).replace(r"\{\}", "(.+?)")), value)
             for key, value in CHINESE.items() if "{}" in key]


def chinese(text: str) -> str:
    """A figure's label in Chinese, line by line: each line whole from ``CHINESE``, or by a pattern
    (whose filled-in part is translated too: "class {}" of a class name); a line not found is kept."""
    return "\n".join(_line(line) for line in text.split("\n"))


def _line(line: str) -> str:
    if line in CHINESE:
        return CHINESE[line]
    for pattern, value in _PATTERNS:
        found = pattern.fullmatch(line)
        if found:
            return value.format(*(_line(part) for part in found.groups()))
    return line


def english_words(text: str) -> list[str]:
    """The English words left in a label (runs of two or more Latin letters outside formulas and
    other than ``KEPT``): what ``chinese`` did not translate."""
    return [word for word in re.findall(r"[A-Za-z]{2,}", re.sub(r"\$[^$]*\$", "", text)) if word not in KEPT]


def chinese_font() -> str | None:
    """The first of ``CHINESE_FONTS`` that matplotlib finds on this machine, or None."""
    installed = {font.name for font in font_manager.fontManager.ttflist}
    return next((name for name in CHINESE_FONTS if name in installed), None)


def chinese_png(figure: Figure, draw: Callable[[Figure], str]) -> str | None:
    """``draw(figure)`` (a PNG, as Jupyter's formatter returns it) with the figure's words in Chinese,
    the figure as it was afterwards; None when no word changes or no Chinese font is installed.
    Chinese tick labels on the x axis (class names) slant at most 30°, and stand upright when no
    label is longer than two characters, where the English ones slant more.

    Warns of a label whose English words ``CHINESE`` does not translate (add it there)."""
    font = chinese_font()
    if font is None:
        return None
    texts = [(t, t.get_text(), t.get_fontfamily()) for t in figure.findobj(Text) if chinese(t.get_text()) != t.get_text()]
    # each axis's tick labels as its formatter writes them: those with words (class names) are translated
    ticks = {axis: axis.get_major_formatter().format_ticks(axis.get_majorticklocs())
             for ax in figure.axes for axis in (ax.xaxis, ax.yaxis)}
    axes = [(axis, axis.get_major_formatter(), axis.isDefault_majfmt)
            for axis, labels in ticks.items() if any(chinese(label) != label for label in labels)]
    if not texts and not axes:
        return None
    shown = [t.get_text() for t in figure.findobj(Text)] + [label for labels in ticks.values() for label in labels]
    left = sorted({label for label in shown if english_words(chinese(label))})
    if left:
        warnings.warn(f"figure labels without Chinese: {left}: add them to book.figure_language.CHINESE", stacklevel=2)
    # on the x axis, the longest Chinese tick label (0 on the y axis, where labels do not slant)
    longest = {axis: max(len(chinese(label)) for label in ticks[axis]) if axis is axis.axes.xaxis else 0
               for axis, _, _ in axes}
    tick_labels = [(label, label.get_fontfamily(), label.get_rotation(), label.get_horizontalalignment(), longest[axis])
                   for axis, _, _ in axes for tick in axis.get_major_ticks() for label in (tick.label1, tick.label2)]
    try:
        for text, old, family in texts:
            text.set_text(chinese(old))
            text.set_fontfamily([*family, font])
        for axis, formatter, _ in axes:
            axis.set_major_formatter(FuncFormatter(lambda x, pos, formatter=formatter: chinese(formatter(x, pos))))
        for label, family, rotation, _, longest in tick_labels:
            label.set_fontfamily([*family, font])
            if longest and rotation > 30:  # slanted Chinese is hard to read: upright, or less slanted
                label.set_rotation(0 if longest <= 2 else 30)
                label.set_horizontalalignment("center" if longest <= 2 else "right")
        return draw(figure)
    finally:
        for text, old, family in texts:
            text.set_text(old)
            text.set_fontfamily(family)
        for axis, formatter, default in axes:
            axis.set_major_formatter(formatter)
            axis.isDefault_majfmt = default
        for label, family, rotation, alignment, _ in tick_labels:
            label.set_fontfamily(family)
            label.set_rotation(rotation)
            label.set_horizontalalignment(alignment)


def show_chinese_figures() -> None:
    """In Jupyter, a figure's PNG output also carries its Chinese drawing (``chinese_png``) in the
    output's metadata. Outside IPython, or without Jupyter's PNG formatter, this does nothing."""
    try:
        from IPython import get_ipython
    except ImportError:
        return
    shell = get_ipython()
    if shell is None:
        return
    png = shell.display_formatter.formatters["image/png"]
    try:
        draw = png.lookup_by_type(Figure)
    except KeyError:  # no inline backend: figures are not shown as PNGs
        return
    if getattr(draw, "chinese", False):  # already set up
        return

    def both(figure: Figure):
        english = draw(figure)
        drawn = chinese_png(figure, draw)
        return english if drawn is None else (english, {LANGUAGE: drawn})

    both.chinese = True
    png.for_type(Figure, both)
