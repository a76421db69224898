// dataset_thumbnails.h - a small picture of every dataset in the Data section, as TensorFlow
// Playground has: each generator's points (a fixed sample) in their class colours, or a
// regression's targets from blue to orange; the current dataset framed; a click chooses one.
#pragma once

#include <array>
#include <string>
#include <utility>
#include <vector>

namespace splinescope {

struct DatasetInfo;

// Draws the gallery at the cursor; returns the dataset clicked (nullptr: none). rects: where each
// thumbnail was drawn (name, x, y, width, height in CSS px), for state() and the tests.
const DatasetInfo* dataset_thumbnails(const std::string& current,
                                      std::vector<std::pair<std::string, std::array<float, 4>>>* rects);

} // namespace splinescope
