// Patrol report: attach the phone's position to the hidden latitude/longitude fields,
// only when the deputy taps the button and the browser's own prompt is allowed.
// Without JavaScript or geolocation the block stays hidden and the report files without a position.
(function () {
  "use strict";
  var block = document.getElementById("patrol-location");
  var button = document.getElementById("patrol-locate");
  var status = document.getElementById("patrol-location-status");
  var latitude = document.querySelector('input[data-patrol="latitude"]');
  var longitude = document.querySelector('input[data-patrol="longitude"]');
  if (!block || !button || !latitude || !longitude || !("geolocation" in navigator)) {
    return;
  }
  block.hidden = false;
  if (latitude.value && longitude.value) {
    status.textContent = block.dataset.msgOk;  // kept from a form shown again after an error
  }
  button.addEventListener("click", function () {
    button.disabled = true;
    status.textContent = block.dataset.msgBusy;
    navigator.geolocation.getCurrentPosition(
      function (position) {
        latitude.value = position.coords.latitude.toFixed(6);
        longitude.value = position.coords.longitude.toFixed(6);
        status.textContent = block.dataset.msgOk;
        button.disabled = false;
      },
      function () {
        latitude.value = "";
        longitude.value = "";
        status.textContent = block.dataset.msgDenied;
        button.disabled = false;
      },
      { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 }
    );
  });
})();
