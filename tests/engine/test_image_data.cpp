// Image data (engine/image_data.h): image sets from hand-made IDX bytes, class-balanced subsets,
// and the image asset written and read back, with every malformed asset refused by name. The
// oracles are the bytes written here by hand and the format table in image_data.h.
#include "image_data.h"

#include "engine_limits.h"
#include "gzip_file.h"
#include "network.h"
#include "random.h"
#include "train.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

using namespace splinescope;

namespace {

using Bytes = std::vector<std::uint8_t>;

void append_be32(Bytes& out, std::uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<std::uint8_t>(v >> shift));
}

Bytes idx_file(const std::vector<std::uint32_t>& shape, const Bytes& data) {
  Bytes out = {0x00, 0x00, 0x08, static_cast<std::uint8_t>(shape.size())};
  for (std::uint32_t size : shape) append_be32(out, size);
  out.insert(out.end(), data.begin(), data.end());
  return out;
}

// n images of 2 x 2 pixels: image j's pixels are 4j, 4j+1, 4j+2, 4j+3; labels as given.
ImageSet small_set(const Bytes& labels, int classes = 3) {
  ImageSet s;
  s.rows = 2;
  s.cols = 2;
  s.classes = classes;
  for (std::size_t j = 0; j < labels.size(); ++j) {
    for (int p = 0; p < 4; ++p) s.pixels.push_back(static_cast<std::uint8_t>(4 * j + p));
    s.labels.push_back(labels[j]);
    s.indices.push_back(static_cast<std::uint32_t>(10 * j + 3));
  }
  return s;
}

ImageSplit small_split() {
  return ImageSplit{small_set({0, 1, 2, 1, 0}), small_set({2, 0})};
}

void put_le32(Bytes& b, std::size_t at, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) b[at + i] = static_cast<std::uint8_t>(v >> (8 * i));
}

std::string asset_error(const Bytes& b) {
  return read_image_asset(b.data(), b.size()).error;
}

} // namespace

TEST_CASE("IDX images and labels become an image set with pixels scaled to [0, 1] as a dataset") {
  const Bytes images = idx_file({3, 2, 2}, {0, 51, 102, 255, 1, 2, 3, 4, 9, 8, 7, 6});
  const Bytes labels = idx_file({3}, {2, 0, 9});
  const ImageSetResult r =
      read_image_set(images.data(), images.size(), labels.data(), labels.size());
  REQUIRE_MESSAGE(r.ok, r.error);
  CHECK(r.images.rows == 2);
  CHECK(r.images.cols == 2);
  CHECK(r.images.classes == 10);
  CHECK(r.images.labels == Bytes{2, 0, 9});
  CHECK(r.images.indices == std::vector<std::uint32_t>{0, 1, 2});
  const Dataset d = to_dataset(r.images);
  REQUIRE(d.X.rows() == 4);
  REQUIRE(d.X.cols() == 3);
  CHECK(d.classes == 10);
  CHECK(d.X(0, 0) == 0.0);
  CHECK(d.X(1, 0) == doctest::Approx(0.2));
  CHECK(d.X(3, 0) == 1.0); // 255 is exactly 1
  CHECK(d.X(2, 2) == 7.0 / 255.0);
  CHECK(d.labels(2) == 9);
}

TEST_CASE(
    "image sets refuse mismatched counts, labels beyond the classes and images over 784 pixels") {
  const Bytes images = idx_file({3, 2, 2}, Bytes(12, 0));
  const Bytes two_labels = idx_file({2}, {0, 1});
  ImageSetResult r =
      read_image_set(images.data(), images.size(), two_labels.data(), two_labels.size());
  CHECK_FALSE(r.ok);
  CHECK(r.error == "the image and label counts do not match: 3 images, 2 labels");
  const Bytes bad_label = idx_file({3}, {0, 10, 1});
  r = read_image_set(images.data(), images.size(), bad_label.data(), bad_label.size());
  CHECK(r.error == "labels: label 10 of image 1 is out of range for 10 classes");
  const Bytes big = idx_file({1, 28, 29}, Bytes(28 * 29, 0));
  const Bytes one_label = idx_file({1}, {0});
  r = read_image_set(big.data(), big.size(), one_label.data(), one_label.size());
  CHECK(r.error == "images: images of 28 x 29 pixels; the engine takes 1 to 784 pixels an image");
  const Bytes truncated(images.begin(), images.end() - 1);
  r = read_image_set(truncated.data(), truncated.size(), two_labels.data(), two_labels.size());
  CHECK(r.error.rfind("images: ", 0) == 0);
  r = read_image_set(images.data(), images.size(), bad_label.data(), bad_label.size(), 11);
  CHECK(r.error == "classes must be 2 to 10, got 11");
}

TEST_CASE("a class-balanced subset takes the first images of every class in file order") {
  const ImageSet set = small_set({0, 1, 1, 2, 0, 1, 2, 0, 2});
  const ImageSetResult two = balanced_subset(set, 2);
  REQUIRE_MESSAGE(two.ok, two.error);
  // Positions 0, 1, 2, 3, 4, 6: classes 0, 1, 1, 2, 0, 2 (the first two of each).
  CHECK(two.images.labels == Bytes{0, 1, 1, 2, 0, 2});
  CHECK(two.images.indices == std::vector<std::uint32_t>{3, 13, 23, 33, 43, 63});
  REQUIRE(two.images.pixels.size() == 6 * 4);
  CHECK(two.images.pixels[5 * 4] == 24); // position 6's first pixel is 4 * 6
  const ImageSetResult four = balanced_subset(set, 4);
  CHECK_FALSE(four.ok);
  CHECK(four.error == "class 0 has 3 images, fewer than the 4 asked for");
  CHECK_FALSE(balanced_subset(set, 0).ok);
}

TEST_CASE("the image asset's bytes follow the documented layout and read back unchanged") {
  const ImageSplit split = small_split();
  const Bytes asset = write_image_asset(split);
  // Header 28 bytes, then per image 1 label + 4 index + 4 pixel bytes.
  REQUIRE(asset.size() == 28 + 7 * 9);
  CHECK(std::string(asset.begin(), asset.begin() + 8) == "SSIMAGES");
  CHECK(asset[8] == 1);  // version, little-endian u32
  CHECK(asset[12] == 2); // rows
  CHECK(asset[14] == 2); // cols
  CHECK(asset[16] == 3); // classes
  CHECK(asset[20] == 5); // train count
  CHECK(asset[24] == 2); // test count
  CHECK(Bytes(asset.begin() + 28, asset.begin() + 33) == Bytes{0, 1, 2, 1, 0}); // train labels
  CHECK(asset[33] == 3); // first train index 3, little-endian
  CHECK(asset[37] == 13);
  CHECK(asset[53] == 0); // train pixels begin after 5 labels and 5 indices: image 0's first pixel
  CHECK(asset[54] == 1);

  const ImageAssetResult r = read_image_asset(asset.data(), asset.size());
  REQUIRE_MESSAGE(r.ok, r.error);
  CHECK(r.images.train.pixels == split.train.pixels);
  CHECK(r.images.train.labels == split.train.labels);
  CHECK(r.images.train.indices == split.train.indices);
  CHECK(r.images.test.pixels == split.test.pixels);
  CHECK(r.images.test.indices == split.test.indices);
  CHECK(r.split.train.size() == 5);
  CHECK(r.split.test.size() == 2);
  CHECK(r.split.test.X(3, 1) == 7.0 / 255.0);
  CHECK(r.split.train.classes == 3);
}

TEST_CASE("a malformed image asset is refused with the problem named") {
  const Bytes good = write_image_asset(small_split());

  Bytes b = good;
  b[0] = 'X';
  CHECK(asset_error(b) ==
        "image asset: wrong magic: not a SplineScope image asset (it starts with \"SSIMAGES\")");
  b = good;
  put_le32(b, 8, 2);
  CHECK(asset_error(b) == "image asset: version 2; this reader reads version 1");
  CHECK(asset_error(Bytes(good.begin(), good.begin() + 27)) ==
        "image asset: 27 bytes, shorter than its 28-byte header (truncated)");
  CHECK(
      asset_error(Bytes(good.begin(), good.end() - 1)) ==
      "image asset: truncated: 90 bytes, but its counts (5 train, 2 test images of 2 x 2) need 91");
  // Every shorter prefix is refused, none read out of bounds (run under a sanitizer to see).
  for (std::size_t n = 0; n < good.size(); ++n) CHECK_FALSE(read_image_asset(good.data(), n).ok);
  b = good;
  b.push_back(0);
  CHECK(asset_error(b) ==
        "image asset: 1 bytes after the images: the counts do not describe the file");
  b = good;
  put_le32(b, 20, 0);
  CHECK(asset_error(b) == "image asset: bad count: 0 training images; expected 1 to 100000");
  b = good;
  put_le32(b, 20, 6); // one more training image than the bytes hold
  CHECK(asset_error(b).find("truncated") != std::string::npos);
  b = good;
  put_le32(b, 24, 0xFFFFFFFFu);
  CHECK(asset_error(b) == "image asset: bad count: 4294967295 test images; expected 0 to 100000");
  b = good;
  b[16] = 11;
  CHECK(asset_error(b) == "image asset: 11 classes; expected 2 to 10");
  b = good;
  b[12] = 29; // 29 x 2 = 58 pixels is allowed, so make it too big: 29 x 28
  b[14] = 28;
  CHECK(asset_error(b) ==
        "image asset: images of 29 x 28 pixels; the engine takes 1 to 784 pixels an image");
  b = good;
  b[18] = 1;
  CHECK(asset_error(b) == "image asset: the reserved header field is 1, not 0");
  b = good;
  b[29] = 3; // training image 1's label: 3 classes allow 0..2
  CHECK(asset_error(b) == "image asset: train image 1: label 3 is out of range for 3 classes");
  b = good;
  put_le32(b, 37, 3); // training image 1's index repeats image 0's
  CHECK(asset_error(b) ==
        "image asset: train image 1: index 3 does not follow 3 (indices must increase)");
}

TEST_CASE("writing an inconsistent image split as an asset throws") {
  ImageSplit split = small_split();
  split.test.cols = 3;
  split.test.pixels.resize(2 * 6);
  CHECK_THROWS_AS(write_image_asset(split), std::invalid_argument);
  split = small_split();
  split.train.labels[0] = 3;
  CHECK_THROWS_AS(write_image_asset(split), std::invalid_argument);
  split = small_split();
  split.train.indices[1] = 0;
  CHECK_THROWS_AS(write_image_asset(split), std::invalid_argument);
}

TEST_CASE("the Fashion-MNIST class names are the published ten in label order") {
  const auto& names = fashion_mnist_class_names();
  CHECK(std::string(names[0]) == "T-shirt/top");
  CHECK(std::string(names[7]) == "Sneaker");
  CHECK(std::string(names[9]) == "Ankle boot");
}

// Ten classes of 784-pixel "images": class k lights a block of 78 pixels at its own place, under
// noise. Separable by a linear map, so a 784-32-10 network must learn it fast; it checks the
// training path end to end at the image size (shapes, softmax over 10, batched evaluation).
TEST_CASE("a 784-input, 10-class network trains with Adam on image-sized points") {
  Rng rng(42);
  const int n = 600;
  Dataset d;
  d.classes = 10;
  d.X.resize(784, n); // (784, n)
  d.labels.resize(n);
  for (int j = 0; j < n; ++j) {
    const int k = j % 10;
    d.labels(j) = k;
    for (int p = 0; p < 784; ++p) d.X(p, j) = 0.3 * rng.uniform();
    for (int p = 78 * k; p < 78 * (k + 1); ++p) d.X(p, j) += 0.5;
  }
  NetworkSpec spec;
  spec.input_dim = 784;
  spec.hidden = {32};
  spec.outputs = 10;
  TrainConfig config;
  config.learning_rate = 0.001;
  config.batch_size = 64;
  Trainer trainer(make_network(spec, 3), d, config);
  const double before = trainer.evaluate().accuracy;
  REQUIRE(trainer.run(100).ok);
  const Metrics after = trainer.evaluate();
  CHECK(before < 0.5);
  CHECK(after.accuracy > 0.95);
}

// The installed files (scripts/setup.sh installs dataset-fashion-mnist; elsewhere this says why it
// checked nothing): the published split's sizes and balance, its first labels as the files hold
// them, and the page's asset built from them and read back.
TEST_CASE(
    "the installed Fashion-MNIST files give the published balanced split and a 2.76 MB asset") {
  const char* env = std::getenv("SPLINESCOPE_FASHION_MNIST_DIR");
  const std::string dir = env && *env ? env : kFashionMnistDir;
  if (find_idx_file(dir, kFashionMnistTrainImages).empty()) {
    MESSAGE("skipped: Fashion-MNIST is not installed in "
            << dir << " (apt-get install dataset-fashion-mnist)");
    return;
  }
  const ImageSplitResult r = read_fashion_mnist(dir);
  REQUIRE_MESSAGE(r.ok, r.error);
  const ImageSet& train = r.images.train;
  const ImageSet& test = r.images.test;
  CHECK(train.size() == 60000);
  CHECK(test.size() == 10000);
  CHECK(train.rows == 28);
  CHECK(train.cols == 28);
  CHECK(train.pixels.size() == 60000u * 784u);
  std::vector<int> train_per_class(10, 0), test_per_class(10, 0);
  for (std::uint8_t label : train.labels) ++train_per_class[label];
  for (std::uint8_t label : test.labels) ++test_per_class[label];
  CHECK(train_per_class == std::vector<int>(10, 6000));
  CHECK(test_per_class == std::vector<int>(10, 1000));
  CHECK(Bytes(train.labels.begin(), train.labels.begin() + 10) ==
        Bytes{9, 0, 0, 3, 0, 2, 7, 2, 5, 5});

  ImageSetResult sub_train = balanced_subset(train, 250), sub_test = balanced_subset(test, 100);
  REQUIRE(sub_train.ok);
  REQUIRE(sub_test.ok);
  const Bytes asset = write_image_asset(ImageSplit{sub_train.images, sub_test.images});
  CHECK(asset.size() == 2761528u);
  CHECK(asset.size() <= 3u * 1024u * 1024u);
  const ImageAssetResult back = read_image_asset(asset.data(), asset.size());
  REQUIRE_MESSAGE(back.ok, back.error);
  CHECK(back.split.train.size() == 2500);
  CHECK(back.split.test.size() == 1000);
  // Image j of the asset is the published image its index names, pixel for pixel.
  for (int j : {0, 1234, 2499}) {
    const std::uint32_t i = back.images.train.indices[static_cast<std::size_t>(j)];
    CHECK(back.images.train.labels[static_cast<std::size_t>(j)] == train.labels[i]);
    CHECK(std::equal(back.images.train.pixels.begin() + j * 784,
                     back.images.train.pixels.begin() + (j + 1) * 784,
                     train.pixels.begin() + static_cast<std::ptrdiff_t>(i) * 784));
  }
}
