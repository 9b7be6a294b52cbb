# Each filter: 5 × 5 × 3 = 75 weights and one bias, so 32 × 75 + 32 = 2,432 parameters.
# Valid padding: 32 − 5 + 1 = 28 positions along each side, one channel per filter.
exercise = keras.Sequential(
    [keras.Input(shape=(32, 32, 3)), keras.layers.Conv2D(32, kernel_size=5)],
    name="exercise_1",
)
assert check_param_count(2432, exercise)
assert check_output_shape((28, 28, 32), exercise)
