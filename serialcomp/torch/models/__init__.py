"""Learned looped models: weight-tied looped transformers trained on the serial problems.

=====================  ===========================================================================
module                 what
=====================  ===========================================================================
:mod:`.tasks`          a problem as a learning task (:func:`get_task`): tokens, labels, targets
:mod:`.config`         :class:`LoopConfig` and the presets (:func:`get_config`: tiny, quick, gpu-*)
:mod:`.transformer`    :class:`LoopedTransformer`: embedding, one block of k pre-norm layers looped
                       L times with input injection, readout
:mod:`.halting`        :class:`HaltRule`, :func:`run_loops`: fixed L, fixed point (damped), confidence
:mod:`.training`       :func:`train`: random loop count per batch, truncated backprop, AdamW
:mod:`.checkpoint`     :class:`LoopModel` (model + config + metadata), :func:`load_model`
:mod:`.evaluate`       :func:`predict`, :func:`evaluate`: accuracy against the exact targets
:mod:`.records`        :func:`predict_records`: predictions for dataset records (``serialcomp generate``)
:mod:`.study`          :func:`loops_study`: accuracy against loops per n, L*(n) and its growth fit,
                       beside the depth profiles of the problem's circuit families
=====================  ===========================================================================

Example
-------
>>> from serialcomp.torch.models import evaluate, get_config, train
>>> lm = train(get_config("tiny", steps=5, eval_count=16))
>>> list(evaluate(lm, [6], [1, 4], count=32)["loops"])
[1, 4]
"""

from __future__ import annotations

from .checkpoint import CHECKPOINT_FORMAT, CheckpointError, LoopModel, load_model
from .config import ATTENTIONS, CONFIGS, INJECTIONS, POSITIONS, READOUTS, LoopConfig, get_config, list_configs
from .evaluate import EVAL_COLUMNS, Prediction, evaluate, predict
from .halting import HALTS, HaltRule, LoopRun, run_loops
from .records import predict_records, read_records
from .study import LOOPS_FILES, LoopStudy, l_star, loops_study, plot_loops, read_loops_study, write_loops_study
from .tasks import TASK_PROBLEMS, LoopTask, get_task
from .training import learning_rate, train, training_seed
from .transformer import LoopedTransformer

__all__ = [
    "ATTENTIONS", "CHECKPOINT_FORMAT", "CONFIGS", "CheckpointError", "EVAL_COLUMNS", "HALTS", "HaltRule", "INJECTIONS",
    "LOOPS_FILES", "LoopConfig", "LoopModel", "LoopRun", "LoopStudy", "LoopTask", "LoopedTransformer", "POSITIONS",
    "Prediction", "READOUTS", "TASK_PROBLEMS", "evaluate", "get_config", "get_task", "l_star", "learning_rate",
    "list_configs", "load_model", "loops_study", "plot_loops", "predict", "predict_records", "read_loops_study", "read_records",
    "run_loops", "train", "training_seed", "write_loops_study",
]
