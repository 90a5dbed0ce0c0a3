/* Pick a location on the inline SVG map of the fill page: a click sets the latitude and
   longitude fields of a point (or adds a "lat lon" line to a line or a shape) and moves the
   marker. The fields work alone without this script. Plane: x = lon * scale, y = -lat * scale. */
(function () {
  "use strict";
  function pick(svg, event) {
    var scale = parseFloat(svg.getAttribute("data-scale"));
    var point = svg.createSVGPoint();
    point.x = event.clientX; point.y = event.clientY;
    var local = point.matrixTransform(svg.getScreenCTM().inverse());
    var lat = (-local.y / scale).toFixed(6), lon = (local.x / scale).toFixed(6);
    var box = svg.closest("[data-location]");
    var marker = svg.querySelector("[data-marker]");
    if (box.getAttribute("data-location") === "geopoint") {
      box.querySelector("[data-lat]").value = lat;
      var lonField = box.querySelector("[data-lon]");
      lonField.value = lon;
      lonField.dispatchEvent(new Event("change", { bubbles: true }));
      if (!marker) {
        marker = document.createElementNS("http://www.w3.org/2000/svg", "circle");
        marker.setAttribute("data-marker", "");
        marker.setAttribute("fill", "#c0392b");
        var box2 = svg.viewBox.baseVal;
        marker.setAttribute("r", Math.max(2, Math.round(Math.max(box2.width, box2.height) / 80)));
        svg.appendChild(marker);
      }
      marker.setAttribute("cx", local.x); marker.setAttribute("cy", local.y);
    } else {
      var area = box.querySelector("[data-points]");
      area.value = (area.value.trim() ? area.value.trim() + "\n" : "") + lat + " " + lon;
      area.dispatchEvent(new Event("change", { bubbles: true }));
    }
  }
  document.addEventListener("click", function (event) {
    var svg = event.target.closest && event.target.closest("svg[data-map]");
    if (svg && !svg.closest("fieldset").querySelector("[disabled]")) { pick(svg, event); }
  });
})();
