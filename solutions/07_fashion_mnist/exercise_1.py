longer = helpers.training_epochs(full=8, quick=1)
plain = compact_convnet(batch_norm=False, name="plain")
plain.compile(
    optimizer=keras.optimizers.Adam(
        learning_rate=one_cycle_schedule(3e-3, longer, len(train_inputs), batch_size)
    ),
    loss="sparse_categorical_crossentropy",
    metrics=["accuracy"],
)
start = time.perf_counter()
plain_history = plain.fit(
    train_inputs,
    train_labels,
    epochs=longer,
    batch_size=batch_size,
    validation_data=(valid_inputs, valid_labels),
    verbose=2,
)
seconds = time.perf_counter() - start
print(f"no batch norm, {longer} epochs: {seconds:.0f} s, "
      f"validation accuracy {plain_history.history['val_accuracy'][-1]:.2%}")
print(f"batch norm, {len(history.epoch)} epochs: {training_seconds:.0f} s, "
      f"validation accuracy {history.history['val_accuracy'][-1]:.2%}")
assert plain.count_params() == 421_642  # no γ, β or moving statistics; biases are back
