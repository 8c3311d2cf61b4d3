/** Renderer entry: one app, one Pinia; everything else starts in App.vue. */
import { createPinia } from 'pinia'
import { createApp } from 'vue'
import App from './App.vue'

createApp(App).use(createPinia()).mount('#app')
