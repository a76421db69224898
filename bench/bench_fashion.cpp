// bench_fashion - Fashion-MNIST training natively: a 784-64-64-10 ReLU network, Adam at 0.001 on
// batches of 64, the full published split read from Debian's dataset-fashion-mnist (or the
// directory given as the first argument).
//
// Output lines: `adam_steps_per_second N` and `adam_steps_per_cpu_second N` (timed steps after a
// warm-up), `load_seconds`, `batch B adam_steps_per_second N images_per_second M` for batches
// 32, 128 and 256, then after each epoch of 60,000 images (938 steps)
// `epoch E test_accuracy A test_loss L train_accuracy A seconds S eval_seconds T` (S: training
// time so far; T: evaluating both sets after this epoch). The published MLP baselines reach about
// 0.87 test accuracy; a 64-64 ReLU network should pass 0.85 within 5 epochs.
//
// usage: bench_fashion [DATA_DIR] [EPOCHS (default 5)]
#include "gzip_file.h"
#include "image_data.h"
#include "network.h"
#include "train.h"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <string>

using namespace splinescope;

namespace {
double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}
double cpu_seconds_now() {
  return static_cast<double>(std::clock()) / CLOCKS_PER_SEC;
}

Trainer make_trainer(Dataset train, int batch = 64) {
  NetworkSpec spec;
  spec.input_dim = 784;
  spec.hidden = {64, 64};
  spec.outputs = 10;
  TrainConfig config; // Adam
  config.learning_rate = 0.001;
  config.batch_size = batch;
  config.seed = 1;
  return Trainer(make_network(spec, 1), std::move(train), config);
}
} // namespace

int main(int argc, char** argv) {
  const std::string dir = argc > 1 ? argv[1] : kFashionMnistDir;
  const int epochs = argc > 2 ? std::atoi(argv[2]) : 5;
  const auto load_start = std::chrono::steady_clock::now();
  ImageSplitResult data = read_fashion_mnist(dir);
  if (!data.ok) {
    std::fprintf(stderr, "bench_fashion: %s\n", data.error.c_str());
    return 2;
  }
  const Split split = to_split(data.images);
  std::printf("load_seconds %.3f\n", seconds_since(load_start));
  std::printf("train_images %td\ntest_images %td\n",
              static_cast<std::ptrdiff_t>(split.train.size()),
              static_cast<std::ptrdiff_t>(split.test.size()));

  // Speed: a separate trainer, so the accuracy run below starts from the same initial network.
  {
    Trainer trainer = make_trainer(split.train);
    trainer.run(200); // warm-up: buffers sized, caches settled
    const auto start = std::chrono::steady_clock::now();
    const double cpu_start = cpu_seconds_now();
    long long steps = 0;
    double elapsed = 0;
    while (elapsed < 3.0) {
      if (!trainer.run(100).ok) return 1;
      steps += 100;
      elapsed = seconds_since(start);
    }
    std::printf("adam_steps_per_second %.0f\n", steps / elapsed);
    std::printf("adam_steps_per_cpu_second %.0f\n", steps / (cpu_seconds_now() - cpu_start));
    std::printf("images_per_second %.0f\n", 64.0 * steps / elapsed);
  }

  // The other batch sizes the page offers: steps/s and images/s, 1 s each.
  for (int batch : {32, 128, 256}) {
    Trainer trainer = make_trainer(split.train, batch);
    trainer.run(50);
    const auto start = std::chrono::steady_clock::now();
    long long steps = 0;
    double elapsed = 0;
    while (elapsed < 1.0) {
      if (!trainer.run(20).ok) return 1;
      steps += 20;
      elapsed = seconds_since(start);
    }
    std::printf("batch %d adam_steps_per_second %.0f images_per_second %.0f\n", batch,
                steps / elapsed, batch * steps / elapsed);
  }

  Trainer trainer = make_trainer(split.train);
  const long long steps_per_epoch = (split.train.size() + 63) / 64;
  double train_seconds = 0; // training only: the evaluations between epochs are not counted
  for (int e = 1; e <= epochs; ++e) {
    const auto epoch_start = std::chrono::steady_clock::now();
    if (!trainer.run(static_cast<int>(steps_per_epoch)).ok) return 1;
    train_seconds += seconds_since(epoch_start);
    const auto eval_start = std::chrono::steady_clock::now();
    const Metrics test = evaluate(trainer.network(), split.test);
    const Metrics train = trainer.evaluate();
    std::printf("epoch %d test_accuracy %.4f test_loss %.4f train_accuracy %.4f seconds %.2f "
                "eval_seconds %.2f\n",
                e, test.accuracy, test.loss, train.accuracy, train_seconds,
                seconds_since(eval_start));
    std::fflush(stdout);
  }
  return 0;
}
