// slice_view.h - image data in the plane view (the paper's Fig. 5): the plane through three
// training images a, b, c, x = a + u (b - a) + w (c - a) (ImagePlane, pane.h), drawn as any plane
// is, by the network restricted to it. Here: which three, the stars that mark them with their
// thumbnails, the image at a point of the plane with the class probabilities there, and the strip
// the three are chosen from.
#pragma once

#include "image_data.h"
#include "pane.h"

#include <imgui.h>

#include <array>
#include <string>
#include <vector>

namespace splinescope {

// The image data's 8-bit images (engine/image_data.h), or nullptr on other data.
const ImageSplit* pane_images(const Pane& pane);

// Keeps the pane's plane on its data: image data gets a plane, through plane.wanted (indices of
// the published training set) when they are among the page's images, otherwise through the first
// T-shirt, trouser and sneaker; other data none. Returns a note when a wanted image is not among
// them ("" otherwise). Call every frame: it does nothing while the plane fits.
std::string sync_image_plane(Pane& pane);
// Through these three training images (positions in the training set, all different).
bool set_plane_images(Pane& pane, const std::array<int, 3>& positions);
// The plane's images as indices of the published training set (-1 each without a plane).
std::array<long, 3> plane_image_indices(const Pane& pane);
// The view that shows the three stars with room around them in the rectangle (x0, y0)-(x1, y1)
// of a width x height canvas (CSS pixels).
Window plane_view_window(const Pane& pane, double x0, double y0, double x1, double y1, int width, int height);

// The image at plane point (u, w): origin + u v1 + w v2, pixels in [0, 1] ((D) values).
Eigen::VectorXd plane_point_image(const Pane& pane, double u, double w);
// A grey image, rows x cols values in [0, 1] (clamped), as size x size pixels at top_left.
void draw_grey_image(ImDrawList* list, ImVec2 top_left, float size, const Eigen::VectorXd& pixels,
                     int rows, int cols);
// The three stars (a, b, c) and their thumbnails, in the pane (the background draw list).
void draw_plane_stars(const Pane& pane, ImDrawList* list);
// Inside a tooltip or window: the image at (u, w) drawn large, and the class probabilities there,
// most likely first.
void plane_point_rows(const Pane& pane, double u, double w, float image_size);
// What plane_point_rows() drew last: where, the image's mean pixel, the most likely class and
// its probability; draws counts its calls (the page interface reports them).
struct PlanePointShown {
  long draws = 0;
  double u = 0, w = 0, mean_pixel = 0, probability = 0;
  int top_class = -1;
};
const PlanePointShown& last_plane_point();

// The strip's hardest images are the highest-loss ones among the first kHardestSample training
// images (hardest_points(), train.h: one forward pass each, on a click).
constexpr int kHardestSample = 500;

// The Data section's rows for image data: the three images and a strip to choose them from.
void image_plane_section(Pane& pane);

} // namespace splinescope
