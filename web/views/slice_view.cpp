// slice_view.cpp - the plane through three images (see slice_view.h).
#include "slice_view.h"

#include "image_data.h"
#include "panel_text.h"
#include "type.h"

#include <algorithm>
#include <stdexcept>
#include <cmath>
#include <cstdio>
#include <numeric>
#include <vector>

namespace splinescope {

namespace {
// The default three: a T-shirt, a trouser and a sneaker (Fashion-MNIST labels 0, 1, 7), the
// classes the paper's figure spans, far apart in pixel space.
constexpr int kDefaultClasses[3] = {0, 1, 7};
const char* const kStarNames[3] = {"a", "b", "c"};
PlanePointShown shown;

const char* class_name(int label) {
  const auto& names = fashion_mnist_class_names();
  return label >= 0 && label < static_cast<int>(names.size()) ? names[label] : "?";
}

// The first training image of each class, by position (-1 when a class has none).
std::array<int, 10> first_of_each_class(const ImageSet& train) {
  std::array<int, 10> first;
  first.fill(-1);
  for (int j = 0; j < train.size(); ++j)
    if (train.labels[j] < 10 && first[train.labels[j]] < 0) first[train.labels[j]] = j;
  return first;
}

Eigen::VectorXd image_column(const ImageSet& set, int j) {
  Eigen::VectorXd x(set.dim()); // (D)
  for (int p = 0; p < set.dim(); ++p) x(p) = set.pixels[static_cast<std::size_t>(j) * set.dim() + p] / 255.0;
  return x;
}
} // namespace

const ImageSplit* pane_images(const Pane& pane) {
  const std::string& name = pane.session->config().data.name;
  if (!is_image_data(name)) return nullptr;
  const auto images = provided_images(name);
  return images ? &images->images : nullptr;
}

bool set_plane_images(Pane& pane, const std::array<int, 3>& positions) {
  const Dataset& train = pane.session->data().train;
  for (int k = 0; k < 3; ++k)
    if (positions[k] < 0 || positions[k] >= train.size()) return false;
  if (positions[0] == positions[1] || positions[1] == positions[2] || positions[0] == positions[2])
    return false;
  const Eigen::VectorXd a = train.X.col(positions[0]), b = train.X.col(positions[1]),
                        c = train.X.col(positions[2]); // (D) each
  try {
    pane.plane.slice = pane.plane.orthonormal ? orthonormal_slice_through(a, b, c) : slice_through(a, b, c);
  } catch (const std::invalid_argument&) {
    return false; // three images on one line (two alike): no plane through them
  }
  pane.plane.slice_orthonormal = pane.plane.orthonormal;
  pane.plane.images = positions;
  for (int k = 0; k < 3; ++k)
    pane.plane.anchors.col(k) = plane_coordinates(pane.plane.slice, k == 0 ? a : k == 1 ? b : c);
  ++pane.plane.generation;
  pane.weights_dirty = true;
  pane.points_dirty = true;
  pane.tiles_counted_at = -1;
  pane.tess_uploaded = false;
  return true;
}

std::string sync_image_plane(Pane& pane) {
  const std::array<long, 3> wanted = pane.plane.wanted;
  const ImageSplit* images = pane_images(pane);
  const Dataset& train = pane.session->data().train;
  if (!images || train.dim() != images->train.dim() || train.size() < images->train.size()) {
    if (pane.plane.on()) {
      pane.plane.images = {{-1, -1, -1}};
      pane.plane.slice = Slice{};
      ++pane.plane.generation;
      pane.weights_dirty = pane.points_dirty = true;
      pane.tiles_counted_at = -1;
    }
    return "";
  }
  if (pane.plane.on() && pane.plane.slice.origin.size() == train.dim()) {
    if (pane.plane.slice_orthonormal != pane.plane.orthonormal) set_plane_images(pane, pane.plane.images);
    return "";
  }
  std::string note;
  std::array<int, 3> positions{{-1, -1, -1}};
  if (wanted[0] >= 0) {
    for (int k = 0; k < 3; ++k) {
      const auto& indices = images->train.indices;
      const auto at = std::lower_bound(indices.begin(), indices.end(), static_cast<std::uint32_t>(wanted[k]));
      if (at != indices.end() && *at == static_cast<std::uint32_t>(wanted[k]))
        positions[k] = static_cast<int>(at - indices.begin());
      else if (note.empty())
        note = "training image " + std::to_string(wanted[k]) + " is not among the page's " +
               std::to_string(images->train.size()) + " images; showing the default three";
    }
  }
  if (!note.empty() || wanted[0] < 0 || !set_plane_images(pane, positions)) {
    const std::array<int, 10> first = first_of_each_class(images->train);
    set_plane_images(pane, {{first[kDefaultClasses[0]], first[kDefaultClasses[1]], first[kDefaultClasses[2]]}});
  }
  return note;
}

std::array<long, 3> plane_image_indices(const Pane& pane) {
  std::array<long, 3> out{{-1, -1, -1}};
  const ImageSplit* images = pane_images(pane);
  if (!images || !pane.plane.on()) return out;
  for (int k = 0; k < 3; ++k) out[k] = images->train.indices[pane.plane.images[k]];
  return out;
}

Window plane_view_window(const Pane& pane, double x0, double y0, double x1, double y1, int width, int height) {
  // The three images and as much again around them: the tiles and boundaries beyond them are
  // part of the picture.
  const Eigen::Vector2d lo = pane.plane.anchors.rowwise().minCoeff(), hi = pane.plane.anchors.rowwise().maxCoeff();
  const double extent = std::max({hi.x() - lo.x(), hi.y() - lo.y(), 1e-9});
  const double per_px = 2.4 * extent / std::max(1.0, std::min(x1 - x0, y1 - y0));
  const double cx = 0.5 * (x0 + x1), cy = 0.5 * (y0 + y1); // where the centre goes
  const Eigen::Vector2d m = 0.5 * (lo + hi) - 0.1 * extent * Eigen::Vector2d::Ones();
  return Window{m.x() - cx * per_px, m.x() + (width - cx) * per_px, m.y() - (height - cy) * per_px,
                m.y() + cy * per_px};
}

Eigen::VectorXd plane_point_image(const Pane& pane, double u, double w) {
  const Slice& s = pane.plane.slice;
  return s.origin + u * s.v1 + w * s.v2;
}

void draw_grey_image(ImDrawList* list, ImVec2 top_left, float size, const Eigen::VectorXd& pixels,
                     int rows, int cols) {
  const float cell_w = size / cols, cell_h = size / rows;
  for (int r = 0; r < rows; ++r)
    for (int c = 0; c < cols; ++c) {
      const double v = std::clamp(pixels(r * cols + c), 0.0, 1.0);
      const int g = static_cast<int>(std::lround(255.0 * v));
      const ImVec2 p(top_left.x + c * cell_w, top_left.y + r * cell_h);
      // Whole-pixel cells overlap by a hair so no seams show between them.
      list->AddRectFilled(p, ImVec2(p.x + cell_w + 0.5f, p.y + cell_h + 0.5f), IM_COL32(g, g, g, 255));
    }
}

void draw_plane_stars(const Pane& pane, ImDrawList* list) {
  const ImageSplit* images = pane_images(pane);
  if (!images || !pane.plane.on() || pane.view_3d) return;
  const Canvas& c = pane.canvas;
  auto to_screen = [&](double u, double w) {
    return ImVec2(static_cast<float>(c.css_x + (u - pane.view.x0) / pane.view.width() * c.css_width),
                  static_cast<float>(c.css_y + (pane.view.y1 - w) / pane.view.height() * c.css_height));
  };
  const Eigen::Vector2d mean = pane.plane.anchors.rowwise().mean();
  const ImVec2 centre = to_screen(mean.x(), mean.y());
  const float thumb = std::clamp(0.12f * std::min(c.css_width, c.css_height), 40.0f, 84.0f);
  for (int k = 0; k < 3; ++k) {
    const ImVec2 p = to_screen(pane.plane.anchors(0, k), pane.plane.anchors(1, k));
    const int label = images->train.labels[pane.plane.images[k]];
    const ImU32 colour = class_colour(label);
    // A five-pointed star in the class colour, outlined dark then light, so that it reads over
    // tiles of its own class colour too.
    ImVec2 outer[10];
    for (int i = 0; i < 10; ++i) {
      const float r = i % 2 == 0 ? 14.0f : 6.0f;
      const float a = -1.5707963f + i * 0.6283185f;
      outer[i] = ImVec2(p.x + r * std::cos(a), p.y + r * std::sin(a));
    }
    list->AddPolyline(outer, 10, IM_COL32(13, 13, 20, 255), ImDrawFlags_Closed, 4.5f);
    list->AddPolyline(outer, 10, IM_COL32(255, 255, 255, 255), ImDrawFlags_Closed, 2.0f);
    for (int i = 0; i < 10; ++i) list->AddTriangleFilled(p, outer[i], outer[(i + 1) % 10], colour);
    // The thumbnail, away from the triangle's centre and clear of the star; its label on the
    // side away from the star.
    float dx = p.x - centre.x, dy = p.y - centre.y;
    const float len = std::max(1.0f, std::sqrt(dx * dx + dy * dy));
    dx /= len;
    dy /= len;
    const float reach = 0.72f * thumb + 18.0f;
    const ImVec2 box(p.x + dx * reach - 0.5f * thumb, p.y + dy * reach - 0.5f * thumb);
    list->AddRectFilled(ImVec2(box.x - 3, box.y - 3), ImVec2(box.x + thumb + 3, box.y + thumb + 3), colour);
    draw_grey_image(list, box, thumb, image_column(images->train, pane.plane.images[k]), images->train.rows,
                    images->train.cols);
    char label_text[64];
    std::snprintf(label_text, sizeof label_text, "%s  %s", kStarNames[k], class_name(label));
    const ImVec2 size = ImGui::CalcTextSize(label_text);
    const ImVec2 at(box.x + 0.5f * thumb - 0.5f * size.x, dy < -0.3f ? box.y - size.y - 7 : box.y + thumb + 6);
    list->AddRectFilled(ImVec2(at.x - 4, at.y - 1), ImVec2(at.x + size.x + 4, at.y + size.y + 1), IM_COL32(13, 13, 20, 200), 3.0f);
    list->AddText(at, IM_COL32(255, 255, 255, 255), label_text);
  }
}

void plane_point_rows(const Pane& pane, double u, double w, float image_size) {
  const ImageSplit* images = pane_images(pane);
  if (!images || !pane.plane.on()) return;
  const Eigen::VectorXd x = plane_point_image(pane, u, w); // (D)
  const ImVec2 at = ImGui::GetCursorScreenPos();
  draw_grey_image(ImGui::GetWindowDrawList(), at, image_size, x, images->train.rows, images->train.cols);
  ImGui::Dummy(ImVec2(image_size, image_size));
  // Outside the three images' box the image has pixels beyond [0, 1]: the network sees them so.
  const double lo = x.minCoeff(), hi = x.maxCoeff();
  if (lo < 0 || hi > 1)
    ImGui::TextDisabled("pixels span %.2f to %.2f here (drawn clamped)", lo, hi);
  Eigen::MatrixXd X(2, 1); // (2, 1)
  X << u, w;
  const Eigen::VectorXd f = forward(pane.shown_network(), X).col(0); // (C)
  const Eigen::VectorXd p = (f.array() - f.maxCoeff()).exp(); // (C)
  const double sum = p.sum();
  std::vector<int> order(static_cast<std::size_t>(f.size()));
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](int i, int j) { return p(i) > p(j); });
  shown.draws++;
  shown.u = u;
  shown.w = w;
  shown.mean_pixel = x.mean();
  shown.top_class = order.front();
  shown.probability = p(order.front()) / sum;
  for (std::size_t r = 0; r < order.size() && r < 4; ++r) {
    const int k = order[r];
    const ImVec2 dot = ImGui::GetCursorScreenPos();
    const float h = ImGui::GetTextLineHeight();
    ImGui::GetWindowDrawList()->AddRectFilled(ImVec2(dot.x, dot.y + 0.2f * h), ImVec2(dot.x + 0.6f * h, dot.y + 0.8f * h), class_colour(k));
    ImGui::Dummy(ImVec2(0.8f * h, h));
    ImGui::SameLine();
    ImGui::Text("%-12s %5.1f%%", class_name(k), 100.0 * p(k) / sum);
  }
}

const PlanePointShown& last_plane_point() { return shown; }


void image_plane_section(Pane& pane) {
  const ImageSplit* images = pane_images(pane);
  if (!images || !pane.plane.on()) return;
  static int slot = 0;
  static Rng pick{2026};
  const ImageSet& train = images->train;
  ImGui::TextDisabled(pane.plane.orthonormal
                          ? "The plane through three training images,\northonormal axes: x = a + u e₁ + w e₂"
                          : "The plane through three training images:\nx = a + u (b − a) + w (c − a)");
  if (ImGui::Checkbox("orthonormal axes", &pane.plane.orthonormal)) set_plane_images(pane, pane.plane.images);
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("Lengths and areas in the plane as in pixel space (off: a, b, c at the\n"
                      "corners of the unit triangle)");
  // The three images in three columns: a thumbnail (click: choose this one from the strip),
  // its class and its index in the published training set.
  const float thumb = ui_px(40);
  if (ImGui::BeginTable("##three images", 3, ImGuiTableFlags_SizingStretchSame)) {
    for (int k = 0; k < 3; ++k) {
      ImGui::TableNextColumn();
      ImGui::PushID(k);
      const int j = pane.plane.images[k];
      const ImVec2 at = ImGui::GetCursorScreenPos();
      ImDrawList* list = ImGui::GetWindowDrawList();
      list->AddRectFilled(at, ImVec2(at.x + thumb + 4, at.y + thumb + 4),
                          slot == k ? class_colour(train.labels[j]) : IM_COL32(90, 90, 100, 255));
      draw_grey_image(list, ImVec2(at.x + 2, at.y + 2), thumb, image_column(train, j), train.rows, train.cols);
      if (ImGui::InvisibleButton("image", ImVec2(thumb + 4, thumb + 4))) slot = k;
      if (ImGui::IsItemHovered()) ImGui::SetTooltip("Choose %s from the strip below", kStarNames[k]);
      ImGui::SameLine();
      ImGui::TextUnformatted(kStarNames[k]);
      ImGui::PushTextWrapPos(0);
      ImGui::TextUnformatted(class_name(train.labels[j]));
      ImGui::PopTextWrapPos();
      ImGui::TextDisabled("#%u", train.indices[j]);
      ImGui::PopID();
    }
    ImGui::EndTable();
  }
  // The strip: a thumbnail per class (a click takes an image of it at random), or the images the
  // network finds hardest (a click takes that image).
  static std::vector<int> hardest;
  static std::int64_t hardest_step = -1;
  if (!hardest.empty())
    ImGui::TextDisabled("Hardest at step %lld (highest loss): click one for %s", static_cast<long long>(hardest_step),
                        kStarNames[slot]);
  else
    ImGui::TextDisabled("Click a class for %s (an image of it at random):", kStarNames[slot]);
  const std::array<int, 10> first = first_of_each_class(train);
  const float cell = std::min(ui_px(30), (ImGui::GetContentRegionAvail().x - 9 * 3) / 10);
  auto strip_cell = [&](int id, int image, int colour_class) {
    ImGui::PushID(id);
    const ImVec2 at = ImGui::GetCursorScreenPos();
    ImGui::GetWindowDrawList()->AddRectFilled(at, ImVec2(at.x + cell, at.y + cell), class_colour(colour_class));
    draw_grey_image(ImGui::GetWindowDrawList(), ImVec2(at.x + 2, at.y + 2), cell - 4, image_column(train, image),
                    train.rows, train.cols);
    const bool clicked = ImGui::InvisibleButton("cell", ImVec2(cell, cell));
    ImGui::PopID();
    return clicked;
  };
  auto choose = [&](int image) {
    if (std::find(pane.plane.images.begin(), pane.plane.images.end(), image) != pane.plane.images.end()) return;
    std::array<int, 3> next = pane.plane.images;
    next[slot] = image;
    if (set_plane_images(pane, next)) slot = (slot + 1) % 3;
  };
  if (hardest.empty()) {
    for (int cls = 0; cls < 10; ++cls) {
      if (first[cls] < 0) continue;
      if (strip_cell(100 + cls, first[cls], cls)) {
        std::vector<int> of_class;
        for (int i = 0; i < train.size(); ++i)
          if (train.labels[i] == cls && std::find(pane.plane.images.begin(), pane.plane.images.end(), i) == pane.plane.images.end())
            of_class.push_back(i);
        if (!of_class.empty()) choose(of_class[static_cast<std::size_t>(pick.below(of_class.size()))]);
      }
      if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", class_name(cls));
      if (cls < 9) ImGui::SameLine(0, 3);
    }
  } else {
    for (std::size_t i = 0; i < hardest.size(); ++i) {
      const int image = hardest[i];
      if (strip_cell(200 + static_cast<int>(i), image, train.labels[image])) choose(image);
      if (ImGui::IsItemHovered())
        ImGui::SetTooltip("training image %u: a %s", train.indices[image], class_name(train.labels[image]));
      if (i + 1 < hardest.size()) ImGui::SameLine(0, 3);
    }
  }
  if (ImGui::Button(hardest.empty() ? "Hardest" : "Classes")) {
    if (hardest.empty()) {
      hardest.clear();
      for (const Eigen::Index j : hardest_points(pane.unsliced_network(), pane.session->data().train, 10, kHardestSample))
        hardest.push_back(static_cast<int>(j));
      hardest_step = pane.shown_step();
    } else {
      hardest.clear();
    }
  }
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip(hardest.empty() ? "The ten training images with the highest loss now (of the first %d)"
                                      : "Back to a thumbnail per class", kHardestSample);
  ImGui::SameLine();
  if (ImGui::Button("Random")) {
    std::array<int, 3> next{};
    for (int k = 0; k < 3; ++k) {
      do next[k] = static_cast<int>(pick.below(train.size()));
      while ((k > 0 && train.labels[next[k]] == train.labels[next[0]]) ||
             (k > 1 && train.labels[next[k]] == train.labels[next[1]]));
    }
    set_plane_images(pane, next);
  }
  ImGui::SameLine();
  if (ImGui::Button("Default"))
    set_plane_images(pane, {{first[kDefaultClasses[0]], first[kDefaultClasses[1]], first[kDefaultClasses[2]]}});
}

} // namespace splinescope
