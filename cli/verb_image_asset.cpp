// verb_image_asset.cpp - `splinescope image-asset`: the page's Fashion-MNIST subset as one file.
//
// Reads the published IDX files and writes the image asset of engine/image_data.h (format in its
// header): a class-balanced subset with 8-bit pixels, labels and each image's original index.
#include "verbs.h"

#include "gzip_file.h"

#include <cstdio>
#include <stdexcept>

namespace splinescope::cli {

namespace {

int run_image_asset(const Args& args) {
  const std::string out = args.text("out", "");
  if (out.empty()) throw UsageError("--out: give the file to write");
  const std::string dir = args.text("data-dir", kFashionMnistDir);
  const int train_per_class = args.integer("train-per-class", 250, 1, 6000);
  const int test_per_class = args.integer("test-per-class", 100, 1, 1000);

  const ImageSplitResult all = read_fashion_mnist(dir);
  if (!all.ok) throw RuntimeError(all.error);
  ImageSetResult train = balanced_subset(all.images.train, train_per_class);
  if (!train.ok) throw RuntimeError("training images: " + train.error);
  ImageSetResult test = balanced_subset(all.images.test, test_per_class);
  if (!test.ok) throw RuntimeError("test images: " + test.error);
  const std::vector<std::uint8_t> bytes =
      write_image_asset(ImageSplit{std::move(train.images), std::move(test.images)});

  std::FILE* f = std::fopen(out.c_str(), "wb");
  if (!f) throw RuntimeError("cannot write " + out);
  const bool written = std::fwrite(bytes.data(), 1, bytes.size(), f) == bytes.size();
  if (std::fclose(f) != 0 || !written) throw RuntimeError("cannot write " + out);
  std::printf("wrote %s: %d train and %d test images (%d and %d per class), %zu bytes\n",
              out.c_str(), train_per_class * 10, test_per_class * 10, train_per_class,
              test_per_class, bytes.size());
  return kExitOk;
}

Verb make_image_asset_verb() {
  Verb v;
  v.name = "image-asset";
  v.summary = "Write the page's Fashion-MNIST image asset (a class-balanced 8-bit subset).";
  v.synopsis = "image-asset --out FILE [options]";
  v.options = {
      {"out", "FILE", "the asset to write"},
      {"data-dir", "DIR",
       "directory of Fashion-MNIST's four IDX files (gzip'd or not) [" +
           std::string(kFashionMnistDir) + "]"},
      {"train-per-class", "N", "training images per class, the first of each class [250]"},
      {"test-per-class", "N", "test images per class, the first of each class [100]"},
  };
  v.details =
      "The asset (format in engine/image_data.h) holds, for the training and the test half, the\n"
      "labels, each image's index in the published file and the 28 x 28 pixels as bytes. The\n"
      "defaults give 2,500 training and 1,000 test images, 2,761,528 bytes.";
  v.run = run_image_asset;
  return v;
}

} // namespace

const Verb& image_asset_verb() {
  static const Verb verb = make_image_asset_verb();
  return verb;
}

} // namespace splinescope::cli
