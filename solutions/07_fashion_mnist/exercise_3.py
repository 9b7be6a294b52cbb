subset = 640 if helpers.quick_mode() else 5_000
for model, optimizer in [
    (keras.models.clone_model(reference), "nadam"),  # fresh weights, same layers
    (compact_convnet(name="compact_5k"), "adam"),
]:
    model.compile(optimizer=optimizer, loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    start = time.perf_counter()
    model.fit(train_inputs[:subset], train_labels[:subset], epochs=1, batch_size=32, verbose=0)
    seconds = time.perf_counter() - start
    _, accuracy = model.evaluate(valid_inputs, valid_labels, verbose=0)
    print(f"{model.name:15} {seconds:6.1f} s  validation accuracy {accuracy:.2%}")
