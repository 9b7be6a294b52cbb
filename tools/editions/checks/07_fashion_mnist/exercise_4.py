# points: 1
# names: shifted (shift, normalise, compact_convnet), shifted_history (its fit history), longer
assert shifted.layers[0] is shift and shifted.layers[1] is normalise, "shift, then normalise"
### BEGIN HIDDEN TESTS
assert len(shifted_history.epoch) == longer, f"{len(shifted_history.epoch)} epochs"
assert "val_accuracy" in shifted_history.history, "validate while training"
schedule = shifted.optimizer.get_config()["learning_rate"]["config"]
steps = schedule["warmup_steps"] + schedule["decay_steps"]
assert steps == int(shifted.optimizer.iterations), "build the schedule for the epochs you train"
raw = valid_images[..., np.newaxis].astype("float32")
_, raw_accuracy = shifted.evaluate(raw, valid_labels, verbose=0)
assert abs(raw_accuracy - shifted_history.history["val_accuracy"][-1]) < 0.005, (
    "validate on raw images: the model standardises them itself")
sample = raw[:64]
without_shift = shifted.layers[2].predict(normalise(sample), verbose=0)
assert np.allclose(shifted.predict(sample, verbose=0), without_shift), (
    "at inference the shift must change nothing")
### END HIDDEN TESTS
