// gzip_file.cpp - whole-file reading through zlib, and Fashion-MNIST's four files.
#include "gzip_file.h"

#include <zlib.h>

#include <cstdio>

namespace splinescope {

std::string read_maybe_gzip(const std::string& path, std::vector<std::uint8_t>& out,
                            std::size_t max_bytes) {
  out.clear();
  gzFile file = gzopen(path.c_str(), "rb");
  if (!file) return path + ": cannot open";
  // 1 MB chunks: the 26 MB training images inflate to 47 MB in about 50 reads.
  constexpr unsigned kChunk = 1u << 20;
  std::string error;
  for (;;) {
    const std::size_t at = out.size();
    out.resize(at + kChunk);
    const int got = gzread(file, out.data() + at, kChunk);
    if (got < 0) {
      int code = 0;
      error = path + ": " + gzerror(file, &code);
      break;
    }
    out.resize(at + static_cast<std::size_t>(got));
    if (out.size() > max_bytes) {
      error = path + ": more than " + std::to_string(max_bytes) + " bytes";
      break;
    }
    if (got == 0) break;
  }
  gzclose(file);
  if (!error.empty()) out.clear();
  return error;
}

std::string find_idx_file(const std::string& dir, const std::string& name) {
  for (const std::string& path : {dir + "/" + name + ".gz", dir + "/" + name}) {
    if (std::FILE* f = std::fopen(path.c_str(), "rb")) {
      std::fclose(f);
      return path;
    }
  }
  return "";
}

namespace {
ImageSplitResult split_failure(std::string error) {
  ImageSplitResult r;
  r.error = std::move(error);
  return r;
}

// One images + labels pair; errors name the file at fault.
std::string read_pair(const std::string& dir, const char* images_name, const char* labels_name,
                      ImageSet& out) {
  const std::string images_path = find_idx_file(dir, images_name);
  const std::string labels_path = find_idx_file(dir, labels_name);
  if (images_path.empty() || labels_path.empty())
    return std::string("no ") + (images_path.empty() ? images_name : labels_name) + "[.gz] in " +
           dir +
           " (install Debian's dataset-fashion-mnist, or give the directory that holds "
           "the four IDX files)";
  std::vector<std::uint8_t> images, labels;
  std::string error = read_maybe_gzip(images_path, images);
  if (error.empty()) error = read_maybe_gzip(labels_path, labels);
  if (!error.empty()) return error;
  ImageSetResult r = read_image_set(images.data(), images.size(), labels.data(), labels.size(), 10);
  if (!r.ok) return images_path + " and " + labels_path + ": " + r.error;
  out = std::move(r.images);
  return "";
}
} // namespace

ImageSplitResult read_fashion_mnist(const std::string& dir) {
  ImageSplitResult r;
  std::string error =
      read_pair(dir, kFashionMnistTrainImages, kFashionMnistTrainLabels, r.images.train);
  if (error.empty())
    error = read_pair(dir, kFashionMnistTestImages, kFashionMnistTestLabels, r.images.test);
  if (!error.empty()) return split_failure(error);
  if (r.images.train.rows != r.images.test.rows || r.images.train.cols != r.images.test.cols)
    return split_failure(dir + ": the training and test images differ in size");
  r.ok = true;
  return r;
}

} // namespace splinescope
