package sim

import (
	"math"
	"testing"

	"periph.io/x/conn/v3/physic"
)

// The worked example of the BMP280 datasheet (BST-BMP280-DS001, section
// 3.12), whose trimming parameters are bmeDefaultTrim's T and P.
func TestCompensationDatasheetExample(t *testing.T) {
	c := bmeDefaultTrim
	tFine := c.tFine(519888)
	if tFine != 128422 || (tFine*5+128)>>8 != 2508 {
		t.Errorf("adc_T 519888: t_fine %d, want 128422 (25.08 °C)", tFine)
	}
	// The example's 100653.27 Pa comes from the double-precision formulas
	// and a t_fine of 128422.2869; the integer one loses about 0.01 Pa.
	if pa := float64(c.pressure(415148, tFine)) / 256; math.Abs(pa-100653.27) > 0.02 {
		t.Errorf("adc_P 415148: %.3f Pa, want 100653.27", pa)
	}
}

// raw must invert the compensation to its output resolution over the whole
// operating range.
func TestRawInvertsCompensation(t *testing.T) {
	c := bmeDefaultTrim
	for _, celsius := range []float64{-40, -12.34, 0, 21.5, 25.08, 60.005, 85} {
		for _, pa := range []float64{30000, 80000.4, 101325, 110000} {
			for _, rh := range []float64{0, 0.5, 45, 99.99, 100} {
				env := physic.Env{
					Temperature: physic.ZeroCelsius + physic.Temperature(celsius*float64(physic.Celsius)),
					Pressure:    physic.Pressure(pa * float64(physic.Pascal)),
					Humidity:    physic.RelativeHumidity(rh * float64(physic.PercentRH)),
				}
				adcT, adcP, adcH := c.raw(env)
				tFine := c.tFine(adcT)
				gotC := float64((tFine*5+128)>>8) / 100
				gotPa := float64(c.pressure(adcP, tFine)) / 256
				gotRH := float64(c.humidity(adcH, tFine)) / 1024
				if math.Abs(gotC-celsius) > 0.005+1e-9 || math.Abs(gotPa-pa) > 0.1 || math.Abs(gotRH-rh) > 0.01 {
					t.Errorf("%.3f °C, %.1f Pa, %.2f %%RH came back as %.2f °C, %.2f Pa, %.3f %%RH",
						celsius, pa, rh, gotC, gotPa, gotRH)
				}
			}
		}
	}
}
