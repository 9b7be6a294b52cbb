augmented = keras.Sequential(
    [keras.Input(shape=(28, 28, 1)), augment, compact_convnet(name="compact_inner")],
    name="augmented",
)
augmented.compile(
    optimizer=keras.optimizers.Adam(
        learning_rate=one_cycle_schedule(3e-3, epochs, len(train_inputs), batch_size)
    ),
    loss="sparse_categorical_crossentropy",
    metrics=["accuracy"],
)
augmented_history = augmented.fit(
    train_inputs,
    train_labels,
    epochs=epochs,
    batch_size=batch_size,
    validation_data=(valid_inputs, valid_labels),
    verbose=2,
)
print("epoch  validation accuracy: without augmentation, with")
for epoch, (plain_accuracy, augmented_accuracy) in enumerate(
    zip(history.history["val_accuracy"], augmented_history.history["val_accuracy"], strict=False),
    start=1,
):
    print(f"{epoch:5}  {plain_accuracy:.2%}  {augmented_accuracy:.2%}")

# At inference the augmentation layers do nothing: the same images give the same answers.
sample = valid_inputs[:64]
assert np.allclose(augmented.predict(sample, verbose=0), augmented.predict(sample, verbose=0))

upside_down = keras.layers.RandomFlip("vertical", seed=3)
flipped = keras.ops.convert_to_numpy(upside_down(train_inputs[:12], training=True))
plot_image_grid(flipped, titles=[class_names[label] for label in train_labels[:12]], ncols=6)
plt.show()
