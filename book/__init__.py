"""Helpers for the course "Linear Neural Networks": the names D2L readers know, one module per topic."""

from book.closed_form import (
    add_ones_column,
    closed_form,
    condition_number,
    lstsq_fit,
    r_squared,
    rmse,
    train_test_split,
)
from book.data import (
    CorruptDatasetError,
    DatasetNotFoundError,
    data_dir,
    fashion_mnist_root,
)
from book.device import seed_everything, setup_chapter, try_gpu, versions
from book.fashion_mnist import (
    get_fashion_mnist_labels,
    load_data_fashion_mnist,
    load_data_fashion_mnist_with_validation,
    show_images,
)
from book.houses import load_houses, standardize
from book.losses import huber_loss, huber_loss_grad, l1_loss, l1_loss_grad, l2_loss, l2_loss_grad
from book.optim import SGDRecord, gradient_descent, minibatch_sgd, sgd
from book.plot import draw_network, draw_neuron, heatmap, plot, set_axes, set_figsize, show_trace_2d
from book.regression import data_iter, linreg, load_array, squared_loss, synthetic_data
from book.softmax import accuracy, cross_entropy, evaluate_accuracy, softmax
from book.train import Accumulator, Animator, Timer, predict_ch3, train_ch3, train_epoch_ch3

__all__ = [
    "add_ones_column",
    "closed_form",
    "condition_number",
    "lstsq_fit",
    "r_squared",
    "rmse",
    "train_test_split",
    "data_iter",
    "linreg",
    "load_array",
    "SGDRecord",
    "gradient_descent",
    "minibatch_sgd",
    "sgd",
    "squared_loss",
    "synthetic_data",
    "CorruptDatasetError",
    "DatasetNotFoundError",
    "data_dir",
    "draw_network",
    "draw_neuron",
    "heatmap",
    "show_trace_2d",
    "fashion_mnist_root",
    "get_fashion_mnist_labels",
    "load_data_fashion_mnist",
    "load_data_fashion_mnist_with_validation",
    "load_houses",
    "huber_loss",
    "huber_loss_grad",
    "l1_loss",
    "l1_loss_grad",
    "l2_loss",
    "l2_loss_grad",
    "plot",
    "set_axes",
    "set_figsize",
    "seed_everything",
    "setup_chapter",
    "show_images",
    "standardize",
    "try_gpu",
    "versions",
    "accuracy",
    "cross_entropy",
    "evaluate_accuracy",
    "softmax",
    "Accumulator",
    "Animator",
    "Timer",
    "predict_ch3",
    "train_ch3",
    "train_epoch_ch3",
]
