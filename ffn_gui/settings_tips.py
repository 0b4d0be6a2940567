"""What each training setting means: the form's tooltips, and the labels of the choices that
are not in core's registries (activations, costs and optimisers are: their own labels)."""

from __future__ import annotations

INITS = {"scaled": "scaled (1/√fan-in)", "normal": "normal N(0, 1)"}
SCHEDULES = {"constant": "constant", "cosine": "cosine decay"}

TIPS = {
    "preset": "Load a whole set of settings at once. 'seed' is the notes' network (sigmoid, "
    "quadratic cost, SGD, batch 10, α = 3.0); 'default' is the best found for the same "
    "784-128-128-10 shape. Changing a setting makes it '… (modified)'; choose the preset "
    "again to restore it.",
    "hidden": "Units in each hidden layer, separated by commas or spaces: '128, 128' is two "
    "layers of 128. More units can learn finer features but train slower and overfit sooner; "
    "leave it empty for no hidden layer (a linear classifier).",
    "activation": "The non-linearity of the hidden neurons. Sigmoid (the notes) saturates, so "
    "its gradients vanish in deep or large networks; tanh is centred on 0; ReLU keeps "
    "gradients alive and usually learns fastest.",
    "cost": "What training minimises. Quadratic is the notes' ½‖a − y‖² on sigmoid outputs; "
    "it learns slowly when an output is confidently wrong. Cross-entropy on softmax outputs "
    "keeps a large gradient exactly then, and gives probabilities.",
    "init": "How the weights start. 'scaled' draws them with variance 1/fan-in (2/fan-in for "
    "ReLU) so neurons start unsaturated; 'normal' is the notes' N(0, 1), which saturates the "
    "first layer's 784 inputs and makes the first epochs slow.",
    "optimizer": "How each mini-batch's gradient moves the weights. SGD: w ← w − (α/m)Σ∇w. "
    "Momentum adds a running velocity that speeds up along consistent directions. Adam "
    "scales each weight's step by its gradient history and needs little tuning (α ≈ 0.001).",
    "learning_rate": "α, the step size. Too small: learning crawls. Too large: the cost jumps "
    "around or diverges. SGD on the quadratic cost likes about 3; Adam about 0.001.",
    "momentum": "μ, how much of the previous step carries over (momentum optimiser only). "
    "0.9 is usual; higher smooths more but can overshoot.",
    "schedule": "How α changes over the run. Constant keeps it; cosine decay lowers it "
    "smoothly to 0 by the last epoch, which settles the weights and usually adds accuracy.",
    "batch_size": "m, the examples averaged into each gradient step. Small batches give "
    "noisy but many steps per epoch; large batches give smooth, fewer steps and run faster "
    "per example on the CPU.",
    "epochs": "How many passes over the training set. More epochs learn more until the "
    "validation accuracy stops improving (then the network starts to overfit).",
    "l2": "λ, L2 weight decay: shrinks every weight a little each step. It keeps weights "
    "small, which fights overfitting; 0 turns it off, 1e-4 is a gentle value.",
    "augment": "Shift, rotate and scale each training image a little, differently every "
    "epoch, draw some with a thicker or thinner pen, and redraw some along their skeleton with "
    "an even pen like the board's. The network sees more varied digits, overfits less and "
    "reads hand-drawn digits better; the run starts a few seconds later (preparing the "
    "redrawn digits) and each epoch takes a little longer. Some 0s, 1s and 7s are redrawn "
    "with a slash, a lead-in stroke or a crossbar, as many people write them.",
    "deskew": "Shear every digit upright (its principal axis vertical) before the network "
    "sees it, in training and when it reads your drawing: slanted writing then looks like "
    "upright writing. The model remembers it was trained so.",
    "validation": "Training images held out to measure accuracy on data the network does "
    "not learn from. The validation curve tells you when more epochs stop helping.",
    "seed": "The random seed for the starting weights, the shuffling and the augmentation. "
    "The same seed and settings give the same run.",
}
