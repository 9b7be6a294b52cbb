# points: 1
# names: exercise (the one-layer model)
assert tuple(exercise.input_shape[1:]) == (32, 32, 3), f"input {exercise.input_shape}"
### BEGIN HIDDEN TESTS
assert exercise.count_params() == 2_432, f"{exercise.count_params():,} parameters"
assert tuple(exercise.output_shape[1:]) == (28, 28, 32), f"output {exercise.output_shape}"
### END HIDDEN TESTS
