# GlobalAveragePooling2D hands dense_hidden 64 values instead of 576:
# 64 × 64 + 64 = 4,160 parameters; the other layers are unchanged, so the total is
# 160 + 4,640 + 18,496 + 4,160 + 650 = 28,106.
pooled_head = keras.Sequential(
    [
        keras.Input(shape=(28, 28, 1)),
        keras.layers.Conv2D(16, kernel_size=3, activation="relu", name="conv_1"),
        keras.layers.MaxPooling2D(pool_size=2, name="pool_1"),
        keras.layers.Conv2D(32, kernel_size=3, activation="relu", name="conv_2"),
        keras.layers.MaxPooling2D(pool_size=2, name="pool_2"),
        keras.layers.Conv2D(64, kernel_size=3, activation="relu", name="conv_3"),
        keras.layers.GlobalAveragePooling2D(name="global_average"),
        keras.layers.Dense(64, activation="relu", name="dense_hidden"),
        keras.layers.Dense(10, activation="softmax", name="output"),
    ],
    name="pooled_head",
)
assert check_param_count(28106, pooled_head)
