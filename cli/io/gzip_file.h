// gzip_file.h - reading a whole file that may be gzip'd, for the native tools (CLI, benchmarks).
//
// Debian's dataset-fashion-mnist installs its IDX files gzip'd. The engine links no zlib (it is
// also built for the browser, which gets the data as the image asset), so decompression lives
// here, beside the tools that read the published files.
#pragma once

#include "image_data.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace splinescope {

// The file's bytes, decompressed when it is gzip'd (zlib's gzread passes other files through).
// Returns "" or a sentence starting with the path; refuses more than max_bytes of output.
std::string read_maybe_gzip(const std::string& path, std::vector<std::uint8_t>& out,
                            std::size_t max_bytes = std::size_t{1} << 27);

// "DIR/NAME.gz" when it exists, else "DIR/NAME" when that exists, else "".
std::string find_idx_file(const std::string& dir, const std::string& name);

struct ImageSplitResult {
  bool ok = false;
  std::string error; // empty when ok
  ImageSplit images; // the published training set (train) and test set (test)
};

// Fashion-MNIST's four IDX files from dir (each NAME or NAME.gz), as 8-bit image sets. The error
// names the missing or malformed file and, when none is there, how to install them.
ImageSplitResult read_fashion_mnist(const std::string& dir = kFashionMnistDir);

} // namespace splinescope
