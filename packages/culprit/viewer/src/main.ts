import './style.css';

document.getElementById('app')!.textContent = 'culprit viewer';
