longer = helpers.training_epochs(full=8, quick=1)
shifted = keras.Sequential(
    [keras.Input(shape=(28, 28, 1)), shift, normalise, compact_convnet(name="compact_inner")],
    name="shifted",
)
shifted.compile(
    optimizer=keras.optimizers.Adam(
        learning_rate=one_cycle_schedule(3e-3, longer, len(train_images), batch_size)
    ),
    loss="sparse_categorical_crossentropy",
    metrics=["accuracy"],
)
raw_train = train_images[..., np.newaxis].astype("float32")  # raw pixels: the model standardises
raw_valid = valid_images[..., np.newaxis].astype("float32")
shifted_history = shifted.fit(
    raw_train,
    train_labels,
    epochs=longer,
    batch_size=batch_size,
    validation_data=(raw_valid, valid_labels),
    verbose=2,
)
print(f"with shifts, {longer} epochs: {shifted_history.history['val_accuracy'][-1]:.2%}")

# Shift, then normalise, on raw pixels; at inference the shift changes no prediction.
assert shifted.layers[0] is shift and shifted.layers[1] is normalise, "shift, then normalise"
assert raw_train.max() > 1 and raw_valid.max() > 1, "feed raw pixels: the model standardises"
sample = raw_valid[:64]
without_shift = shifted.layers[2].predict(normalise(sample), verbose=0)
shifted_probabilities = shifted.predict(sample, verbose=0)
assert np.allclose(shifted_probabilities, without_shift), "the shift changed a prediction"
