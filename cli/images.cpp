// images.cpp - Fashion-MNIST for the verbs: the options that choose the files and how many
// images, and the loading that turns them into a Split.
#include "verbs.h"

#include "gzip_file.h"

#include <cstdio>

namespace splinescope::cli {

bool wants_images(const Args& args) {
  return args.text("dataset", "") == kImageDataset;
}

std::vector<Option> image_options() {
  return {
      {"data-dir", "DIR",
       "--dataset fashion-mnist: the directory of its four IDX files (gzip'd or not) [" +
           std::string(kFashionMnistDir) + "]"},
      {"train-images", "N",
       "--dataset fashion-mnist: use the first N of the 60,000 training images [all]"},
      {"test-images", "N",
       "--dataset fashion-mnist: use the first N of the 10,000 test images [all]"},
  };
}

void refuse_with_images(const Args& args, const std::vector<std::string>& options) {
  for (const std::string& option : options)
    if (args.has(option))
      throw UsageError("--" + option + ": not used with --dataset " + kImageDataset +
                       " (the images and their published split are fixed)");
}

void refuse_without_images(const Args& args, const std::vector<std::string>& options) {
  for (const std::string& option : options)
    if (args.has(option))
      throw UsageError("--" + option + ": only with --dataset " + kImageDataset);
}

ImageData load_image_data(const Args& args) {
  const std::string dir = args.text("data-dir", kFashionMnistDir);
  const int train_count = args.integer("train-images", kMaxDatasetPoints, 1, kMaxDatasetPoints);
  const int test_count = args.integer("test-images", kMaxDatasetPoints, 1, kMaxDatasetPoints);
  ImageSplitResult r = read_fashion_mnist(dir);
  if (!r.ok) throw RuntimeError(r.error);
  ImageData data;
  data.rows = r.images.train.rows;
  data.cols = r.images.train.cols;
  // The files are in a shuffled order, so a prefix is a fair (near-balanced) sample.
  data.split.train = to_dataset(first_images(r.images.train, train_count));
  data.split.test = to_dataset(first_images(r.images.test, test_count));
  return data;
}

} // namespace splinescope::cli
