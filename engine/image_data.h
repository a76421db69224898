// image_data.h - image datasets: Fashion-MNIST's published train/test split read from its IDX
// files, class-balanced subsets, and the compact image asset the page loads.
//
// Images stay 8-bit (ImageSet) until a network needs them; to_dataset() scales them to doubles in
// [0, 1] (p / 255), one image per column of X (D = rows * cols = 784 for 28 x 28). At 8 bytes a
// pixel the full training set is 376 MB as doubles and 47 MB as bytes, so the CLI converts what it
// trains on and nothing else, and the page never holds more than the asset's few thousand images.
//
// The image asset (version 1), all integers little-endian:
//
//   offset  size             field
//   0       8                magic "SSIMAGES"
//   8       4  u32           version = 1
//   12      2  u16           rows (height in pixels)
//   14      2  u16           cols (width in pixels); rows * cols <= kMaxInputDim
//   16      2  u16           classes, 2..kMaxOutputs
//   18      2  u16           reserved, 0
//   20      4  u32           n_train: training images, 1..kMaxDatasetPoints
//   24      4  u32           n_test: test images, 0..kMaxDatasetPoints
//   28      n_train          training labels, one byte each, < classes
//           4 * n_train u32  training indices: each image's index in its source file (the
//                            published training set), strictly increasing
//           n_train * P      training pixels, P = rows * cols bytes per image, row-major
//                            (pixel (r, c) at r * cols + c), image after image; 0 black, 255 white
//   then the same three blocks for the n_test test images (indices into the published test set)
//   and nothing after them.
//
// Why these choices: labels and indices before the pixels, so a reader can list the images before
// the bulk arrives; the original indices, so a link can name an image ("training image 12") and
// mean the same picture as the published files; no compression inside (the web server's gzip does
// that, and the 8-bit pixels are the raw material it compresses best); a version field, so a
// changed layout is refused by old readers instead of misread. 250 + 100 images per class of
// Fashion-MNIST make 28 + 3,500 x 789 = 2,761,528 bytes.
//
// Every reader here checks sizes before allocating, reports a sentence naming the problem
// (ok = false, error set) and never throws on malformed bytes.
//
// Index
//   [SECTION] Image sets
//   [SECTION] Fashion-MNIST
//   [SECTION] The image asset
//   [SECTION] Loaded image data
#pragma once

#include "dataset.h"

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace splinescope {

// -----------------------------------------------------------------------------------------------
// [SECTION] Image sets
// -----------------------------------------------------------------------------------------------

// Grey images with class labels, 8 bits a pixel.
struct ImageSet {
  int rows = 0;
  int cols = 0;
  int classes = 0;
  std::vector<std::uint8_t> pixels;   // (n * rows * cols) image j at j * rows * cols, row-major
  std::vector<std::uint8_t> labels;   // (n) class of each image, < classes
  std::vector<std::uint32_t> indices; // (n) index of each image in its source file

  int size() const { return static_cast<int>(labels.size()); }
  int dim() const { return rows * cols; }
};

// Train and test images, each with indices into its own source file.
struct ImageSplit {
  ImageSet train;
  ImageSet test;
};

struct ImageSetResult {
  bool ok = false;
  std::string error; // empty when ok
  ImageSet images;
};

// The images as a Dataset: X (rows * cols, n) with pixel p as p / 255 (so 255 is exactly 1),
// labels (n), the set's classes.
Dataset to_dataset(const ImageSet& images);
// Both halves converted; the Split's test set is the published test set, never a reshuffle.
Split to_split(const ImageSplit& images);

// Images from decompressed IDX bytes: images (n, rows, cols) unsigned bytes, labels (n) unsigned
// bytes below `classes` (2..kMaxOutputs), rows * cols <= kMaxInputDim. Indices are 0..n-1.
ImageSetResult read_image_set(const std::uint8_t* images, std::size_t images_size,
                              const std::uint8_t* labels, std::size_t labels_size,
                              int classes = 10);

// A class-balanced subset: the first per_class images of every class, in file order (so the
// same files always give the same subset, and it is spread over the whole file). Fails when a
// class has fewer than per_class images or per_class < 1.
ImageSetResult balanced_subset(const ImageSet& images, int per_class);

// The first `count` images (all when count exceeds the set): a quick prefix for tests and small
// runs. Fashion-MNIST's files are shuffled, so a prefix is close to balanced.
ImageSet first_images(const ImageSet& images, int count);

// -----------------------------------------------------------------------------------------------
// [SECTION] Fashion-MNIST
// -----------------------------------------------------------------------------------------------

// Where Debian's dataset-fashion-mnist puts the files, and their names (gzip'd: add ".gz").
constexpr const char* kFashionMnistDir = "/usr/share/datasets/fashion-mnist";
constexpr const char* kFashionMnistTrainImages = "train-images-idx3-ubyte";
constexpr const char* kFashionMnistTrainLabels = "train-labels-idx1-ubyte";
constexpr const char* kFashionMnistTestImages = "t10k-images-idx3-ubyte";
constexpr const char* kFashionMnistTestLabels = "t10k-labels-idx1-ubyte";

// The ten classes in label order: "T-shirt/top", "Trouser", ..., "Ankle boot".
const std::array<const char*, 10>& fashion_mnist_class_names();

// -----------------------------------------------------------------------------------------------
// [SECTION] The image asset
// -----------------------------------------------------------------------------------------------

constexpr std::uint32_t kImageAssetVersion = 1;
constexpr std::size_t kImageAssetHeaderBytes = 28;

// The asset's bytes (format above). Throws std::invalid_argument when the split cannot be written
// as one: the halves differ in size or classes, a set is inconsistent (counts, labels, indices
// not increasing), or it is outside the limits the reader checks.
std::vector<std::uint8_t> write_image_asset(const ImageSplit& images);

struct ImageAssetResult {
  bool ok = false;
  std::string error; // empty when ok
  ImageSplit images; // the 8-bit images with their original indices
  Split split;       // the same as doubles in [0, 1], ready to train on (to_split(images))
};

ImageAssetResult read_image_asset(const std::uint8_t* data, std::size_t size);

// -----------------------------------------------------------------------------------------------
// [SECTION] Loaded image data
// -----------------------------------------------------------------------------------------------

// The image data this process has loaded, by dataset name ("fashion-mnist"): the page provides
// its asset once it has arrived, and make_split() of an image dataset (datasets.h) takes its split
// from here. Providing again replaces it; nullptr removes it.
void provide_images(const std::string& name, std::shared_ptr<const ImageAssetResult> images);
// nullptr when nothing has been provided under this name.
std::shared_ptr<const ImageAssetResult> provided_images(const std::string& name);

} // namespace splinescope
