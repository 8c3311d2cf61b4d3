/** What a PIN keypad's owner keeps: the digits typed so far, and the keypad's intents on them. */
import { ref } from 'vue'

/** Longest PIN the keypad takes; the contract allows 32, nobody's PIN is that long. */
export const MAX_PIN_LENGTH = 12

export function usePinEntry() {
  const pin = ref('')
  return {
    pin,
    addDigit(digit: string) {
      if (pin.value.length < MAX_PIN_LENGTH) pin.value += digit
    },
    erase() {
      pin.value = pin.value.slice(0, -1)
    },
    clear() {
      pin.value = ''
    },
  }
}
